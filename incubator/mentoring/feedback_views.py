"""Feedback pages: the thread of an innovation and its milestones, replies, edits.

Each write answers htmx with the fragment it changed (a thread or one item)
and a browser without JavaScript with a redirect back to where it came from.
"""

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from ..auth import policy
from ..auth.door import feedback_view, innovation_view, milestone_view
from ..auth.policy import Action
from ..extensions import db
from ..form_errors import show_domain_error
from ..models import Feedback, Innovation, Milestone, utcnow
from ..pipeline import DomainError
from ..pipeline import feedback as operations
from ..redirects import safe_next
from ..translating import gettext as _
from . import queries
from .blueprint import bp, reload_feedback, remember_form
from .forms import EditFeedbackForm, FeedbackForm, ReplyForm


def _page(innovation: Innovation, status: int = 200):
    context = {"innovation": innovation, "milestones": queries.milestones_of(innovation.id)}
    if request.htmx:
        return render_block("mentoring/feedback.html", "panel", **context), status
    return render_template("mentoring/feedback.html", **context), status


def _done(innovation: Innovation, form, anchor: str):
    target = safe_next(form.next.data) or url_for(
        "mentoring.feedback_page", innovation_id=innovation.id
    )
    return redirect(f"{target.split('#')[0]}#{anchor}", code=303)


def _save(innovation: Innovation, form, write, fragment):
    """Validate, `write()` and commit; answer htmx with `fragment()`, a browser with a redirect
    to the written item. None when the form or the write failed (the error is on the form)."""
    if not form.validate_on_submit():
        return None
    try:
        feedback = write()
    except DomainError as error:
        show_domain_error(form, error, default="body")
        return None
    db.session.commit()
    if not request.htmx:
        return _done(innovation, form, f"feedback-{feedback.id}")
    reload_feedback(innovation)
    return fragment()


@bp.get("/innovations/<int:innovation_id>/feedback")
@innovation_view()
def feedback_page(innovation):
    return _page(innovation)


@bp.post("/innovations/<int:innovation_id>/feedback")
@innovation_view(Action.GIVE_FEEDBACK)
def give_feedback(innovation):
    return _give(innovation, None)


@bp.post("/innovations/<int:innovation_id>/feedback/milestones/<int:milestone_id>")
@milestone_view(Action.GIVE_FEEDBACK)
def give_milestone_feedback(innovation, milestone):
    return _give(innovation, milestone)


def _give(innovation: Innovation, milestone: Milestone | None):
    form = FeedbackForm()
    key = f"new-milestone-{milestone.id}" if milestone else "new-innovation"
    saved = _save(
        innovation,
        form,
        lambda: operations.give_feedback(
            innovation, author=current_user, body=form.body.data, milestone=milestone
        ),
        lambda: _thread(innovation, milestone, notice=_("Feedback sent.")),
    )
    if saved is not None:
        return saved
    remember_form(key, form)
    if request.htmx:
        return _thread(innovation, milestone, 422)
    return _page(innovation, 422)


def _thread(
    innovation: Innovation, milestone: Milestone | None, status: int = 200, notice: str = ""
):
    template = "mentoring/_milestone_feedback.html" if milestone else "mentoring/_thread.html"
    return render_template(
        template, innovation=innovation, milestone=milestone, thread_notice=notice
    ), status


def _item(
    innovation: Innovation,
    feedback: Feedback,
    status: int = 200,
    editing: int | None = None,
    notice: str = "",
):
    root = db.session.get(Feedback, feedback.parent_id) if feedback.parent_id else feedback
    return render_template(
        "mentoring/_feedback_item.html",
        innovation=innovation,
        item=root,
        editing=editing,
        item_notice=notice,
    ), status


@bp.get("/feedback/<int:feedback_id>")
@feedback_view()
def show_feedback(feedback, innovation):
    """One thread item for htmx (e.g. after cancelling an edit); else its place on the page."""
    if request.htmx:
        return _item(innovation, feedback)
    page = url_for("mentoring.feedback_page", innovation_id=innovation.id)
    return redirect(f"{page}#feedback-{feedback.id}")


@bp.post("/feedback/<int:feedback_id>/replies")
@feedback_view(Action.REPLY_FEEDBACK)
def reply(parent, innovation):
    form = ReplyForm()
    saved = _save(
        innovation,
        form,
        lambda: operations.reply_to_feedback(parent, author=current_user, body=form.body.data),
        lambda: _item(innovation, parent, notice=_("Reply sent.")),
    )
    if saved is not None:
        return saved
    remember_form(f"reply-{parent.parent_id or parent.id}", form)
    if request.htmx:
        return _item(innovation, parent, 422)
    return _page(innovation, 422)


@bp.route("/feedback/<int:feedback_id>/edit", methods=["GET", "POST"])
@feedback_view(Action.EDIT_FEEDBACK)
def edit_feedback(feedback, innovation):
    key = f"edit-{feedback.id}"
    if request.method == "GET":
        if request.htmx:
            return _item(innovation, feedback, editing=feedback.id)
        form = EditFeedbackForm(formdata=None, body=feedback.body)
        form.next.data = safe_next(request.args.get("next")) or ""
        return render_template(
            "mentoring/edit_feedback.html", innovation=innovation, feedback=feedback, form=form
        )
    form = EditFeedbackForm()
    saved = _save(
        innovation,
        form,
        lambda: operations.edit_feedback(feedback, editor=current_user, body=form.body.data),
        lambda: _item(innovation, feedback, notice=_("Changes saved.")),
    )
    if saved is not None:
        return saved
    remember_form(key, form)
    if request.htmx:
        return _item(innovation, feedback, 422, editing=feedback.id)
    return render_template(
        "mentoring/edit_feedback.html", innovation=innovation, feedback=feedback, form=form
    ), 422


@bp.post("/feedback/<int:feedback_id>/delete")
@feedback_view(Action.EDIT_FEEDBACK)
def delete_feedback(feedback, innovation):
    """The author, within the edit window. htmx: the thread item without it (nothing,
    when it was the thread's first feedback)."""
    parent_id = feedback.parent_id
    operations.delete_feedback(feedback, actor=current_user)
    db.session.commit()
    if not request.htmx:
        page = url_for("mentoring.feedback_page", innovation_id=innovation.id)
        return redirect(f"{page}#feedback-{parent_id}" if parent_id else page, code=303)
    reload_feedback(innovation)
    if parent_id is None:
        return ""
    return _item(innovation, db.session.get(Feedback, parent_id), notice=_("Feedback deleted."))


@bp.post("/feedback/<int:feedback_id>/hide")
@feedback_view(Action.HIDE_FEEDBACK)
def hide_feedback(feedback, innovation):
    """A coordinator hides feedback; the thread keeps its place with a note."""
    operations.hide_feedback(feedback, actor=current_user)
    db.session.commit()
    if not request.htmx:
        page = url_for("mentoring.feedback_page", innovation_id=innovation.id)
        return redirect(f"{page}#feedback-{feedback.id}", code=303)
    reload_feedback(innovation)
    return _item(innovation, feedback, notice=_("Feedback hidden."))


@bp.app_template_global()
def feedback_editable_until(feedback: Feedback):
    return feedback.created_at + policy.FEEDBACK_EDIT_WINDOW if feedback.created_at else utcnow()
