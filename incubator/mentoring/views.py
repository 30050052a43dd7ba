"""Mentor assignment pages and the mentor's "My mentees"; the blueprint's entry point."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from ..auth import policy
from ..auth.door import innovation_view, load_part, personal_view
from ..auth.policy import Action
from ..errors import user_abort
from ..extensions import db
from ..form_errors import show_domain_error
from ..i18n import reader_today
from ..models import Innovation, MentorAssignment, User, utcnow
from ..pipeline import Conflict, DomainError
from ..pipeline.mentoring import OverCapacity, assign_mentor, unassign_mentor
from ..translating import gettext as _
from . import assessment_views, feedback_views, queries  # noqa: F401  (routes on bp)
from .blueprint import bp
from .forms import AssignMentorForm, MentorSearchForm, UnassignMentorForm

__all__ = ["bp"]


def _mentors_context(innovation: Innovation, search: MentorSearchForm, **extra) -> dict:
    can_assign = policy.can(current_user, Action.ASSIGN_MENTOR, innovation)
    current = queries.current_mentors(innovation.id)
    candidates = []
    if can_assign and not search.q.errors:
        candidates = queries.mentor_candidates(
            innovation.programme_id,
            search.q.data or "",
            exclude_ids={load.mentor.id for _a, load in current},
        )
    return {
        "innovation": innovation,
        "search": search,
        "can_assign": can_assign,
        "current": current,
        "candidates": candidates,
        "history": queries.assignment_history(innovation.id),
        "assign_form": extra.pop("assign_form", None) or AssignMentorForm(formdata=None),
        "unassign_form": UnassignMentorForm(formdata=None),
        **extra,
    }


@bp.get("/innovations/<int:innovation_id>/mentors")
@innovation_view()
def mentors(innovation):
    search = MentorSearchForm(request.args)
    status = 200 if search.validate() else 422
    context = _mentors_context(innovation, search)
    if request.htmx:
        # The search box asks for its result list only.
        return render_block("mentoring/mentors.html", "candidates", **context), status
    return render_template("mentoring/mentors.html", **context), status


@bp.post("/innovations/<int:innovation_id>/mentors")
@innovation_view(Action.ASSIGN_MENTOR)
def assign(innovation):
    form = AssignMentorForm()
    search = MentorSearchForm(formdata=None)
    status, confirm = 422, None
    if form.validate_on_submit():
        mentor = db.session.get(User, form.mentor_id.data)
        try:
            assign_mentor(
                innovation,
                mentor,
                actor=current_user,
                confirm_over_capacity=form.confirm.data,
            )
        except OverCapacity as error:
            db.session.rollback()
            status, confirm = 409, error
        except DomainError as error:
            status = show_domain_error(form, error, default="mentor_id")
        else:
            db.session.commit()
            flash(_("%(name)s is now a mentor of this innovation.", name=mentor.name), "success")
            return redirect(url_for("mentoring.mentors", innovation_id=innovation.id), code=303)
    context = _mentors_context(innovation, search, assign_form=form, confirm=confirm)
    return render_template("mentoring/mentors.html", **context), status


@bp.post("/innovations/<int:innovation_id>/mentors/<int:assignment_id>/unassign")
@innovation_view(Action.ASSIGN_MENTOR)
def unassign(innovation, assignment_id: int):
    assignment = load_part(MentorAssignment, assignment_id, innovation_id=innovation.id)
    try:
        unassign_mentor(assignment, actor=current_user)
    except Conflict as error:
        db.session.rollback()
        user_abort(409, str(error.message))
    mentor = db.session.get(User, assignment.mentor_id)
    db.session.commit()
    flash(_("%(name)s is no longer a mentor of this innovation.", name=mentor.name), "success")
    return redirect(url_for("mentoring.mentors", innovation_id=innovation.id), code=303)


@bp.get("/mentor")
@personal_view(Action.VIEW_MENTEES)
def mentees():
    now = utcnow()
    today = reader_today()
    rows = queries.mentees(current_user, today, now)
    programmes = {row.innovation.programme_id for row in rows}
    return render_template(
        "mentoring/mentees.html",
        mentees=rows,
        today=today,
        show_programme=len(programmes) > 1,
        stale_days=queries.STALE_DAYS,
    )
