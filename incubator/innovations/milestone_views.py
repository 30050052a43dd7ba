"""Milestone pages: add, edit, delete, the milestone's own page, progress updates,
and the innovator's "My innovations"."""

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from ..auth import policy
from ..auth.door import innovation_view, milestone_view
from ..auth.policy import Action
from ..extensions import db
from ..form_errors import show_domain_error
from ..i18n import reader_today
from ..models import DocumentKind, Milestone, Programme, utcnow
from ..pipeline import DomainError, documents
from ..pipeline import milestones as ops
from ..redirects import safe_next
from ..uploads import accepts_upload, upload_folder, upload_limit
from . import queries
from .blueprint import bp
from .forms import MilestoneForm, ProgressForm, choices
from .views import progress_forms

NO_OWNER = _l("Nobody yet")
DONE_RECENTLY_DAYS = 30


def _render_form(form, innovation, milestone=None, status: int = 200):
    programme = db.session.get(Programme, innovation.programme_id)
    return render_template(
        "innovations/milestone_form.html",
        form=form,
        innovation=innovation,
        milestone=milestone,
        programme=programme,
    ), status


def _back_to_milestones(innovation):
    return redirect(url_for("innovations.detail", innovation_id=innovation.id, tab="milestones"))


@bp.route("/innovations/<int:innovation_id>/milestones/new", methods=["GET", "POST"])
@innovation_view(Action.MANAGE_MILESTONES)
def add_milestone(innovation):
    form = MilestoneForm()
    form.owner_id.choices = choices(queries.team_options(innovation), NO_OWNER)
    if not form.is_submitted():
        form.stage.data = innovation.stage
        form.owner_id.data = innovation.owner_id or 0
        return _render_form(form, innovation)
    status = 422
    if form.validate():
        try:
            ops.add_milestone(innovation, current_user, **form.milestone_data())
        except DomainError as error:
            status = show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The milestone has been added."), "success")
            return _back_to_milestones(innovation)
    return _render_form(form, innovation, status=status)


@bp.route(
    "/innovations/<int:innovation_id>/milestones/<int:milestone_id>/edit",
    methods=["GET", "POST"],
)
@milestone_view(Action.MANAGE_MILESTONES)
def edit_milestone(innovation, milestone):
    if request.method != "POST":
        form = MilestoneForm(
            formdata=None,
            data={
                "title": milestone.title,
                "description": milestone.description,
                "stage": milestone.stage,
                "due_date": milestone.due_date,
                "owner_id": milestone.owner_id or 0,
                "required": milestone.required,
            },
        )
        form.owner_id.choices = choices(queries.team_options(innovation), NO_OWNER)
        return _render_form(form, innovation, milestone)
    form = MilestoneForm()
    form.owner_id.choices = choices(queries.team_options(innovation), NO_OWNER)
    status = 422
    if form.validate():
        try:
            changed = ops.edit_milestone(
                milestone, innovation, current_user, **form.milestone_data()
            )
        except DomainError as error:
            status = show_domain_error(form, error)
        else:
            db.session.commit()
            if changed:
                flash(_("The milestone has been saved."), "success")
            return _back_to_milestones(innovation)
    return _render_form(form, innovation, milestone, status)


@bp.post("/innovations/<int:innovation_id>/milestones/<int:milestone_id>/delete")
@milestone_view(Action.MANAGE_MILESTONES)
def delete_milestone(innovation, milestone):
    ops.delete_milestone(milestone, innovation, current_user)
    db.session.commit()
    flash(_("The milestone has been deleted."), "success")
    return _back_to_milestones(innovation)


def _fresh(milestone) -> Milestone:
    """The milestone as stored now, with its owner (the templates show the name)."""
    return db.session.scalars(
        db.select(Milestone)
        .where(Milestone.id == milestone.id)
        .options(db.joinedload(Milestone.owner))
        .execution_options(populate_existing=True)
    ).one()


def _milestone_page(innovation, milestone, form=None, status: int = 200):
    """The milestone with its whole progress history (and the form, if allowed)."""
    can_record = policy.can(current_user, Action.RECORD_PROGRESS, innovation)
    if can_record and form is None:
        form = progress_forms([milestone])[milestone.id]
    milestone = _fresh(milestone)
    updates = queries.progress_history([milestone.id], per_milestone=None).get(milestone.id, [])
    return render_template(
        "innovations/milestone.html",
        innovation=innovation,
        milestone=milestone,
        programme=db.session.get(Programme, innovation.programme_id),
        updates=updates,
        update_count=len(updates),
        form=form if can_record else None,
        can_manage_milestones=policy.can(current_user, Action.MANAGE_MILESTONES, innovation),
        today=reader_today(),
        next_url=url_for(
            "innovations.milestone", innovation_id=innovation.id, milestone_id=milestone.id
        ),
    ), status


@bp.get("/innovations/<int:innovation_id>/milestones/<int:milestone_id>")
@milestone_view()
def milestone(innovation, milestone):
    return _milestone_page(innovation, milestone)


def _evidence_file(innovation, milestone, form):
    """A file sent as evidence (the milestone page's form) becomes one of the milestone's
    documents, which the progress update names."""
    upload = form.evidence_file.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return documents.attach_document(
        innovation,
        current_user,
        stream=upload.stream,
        filename=upload.filename,
        folder=upload_folder(),
        max_bytes=upload_limit(),
        kind=DocumentKind.REPORT,
        milestone=milestone,
    )


@bp.post("/innovations/<int:innovation_id>/milestones/<int:milestone_id>/progress")
@milestone_view(Action.RECORD_PROGRESS)
@accepts_upload
def record_progress(innovation, milestone):
    """Inline (htmx: the widget comes back) or a plain form post (redirect back)."""
    form = ProgressForm(prefix=f"m{milestone.id}")
    status = 422
    evidence = None
    if form.validate():
        try:
            evidence = _evidence_file(innovation, milestone, form)
            ops.record_progress(
                milestone,
                innovation,
                current_user,
                document_id=evidence.id if evidence else None,
                **form.progress_data(),
            )
        except DomainError as error:
            if evidence is not None:  # stored, then the update was refused: keep nothing
                documents.stored_path(evidence, upload_folder()).unlink(missing_ok=True)
            status = show_domain_error(form, error, default="evidence_file")
        else:
            db.session.commit()
            if request.htmx:
                return _progress_widget(innovation, milestone, None, saved=True)
            flash(_("Progress saved."), "success")
            return redirect(
                safe_next(request.form.get("next"))
                or url_for(
                    "innovations.milestone", innovation_id=innovation.id, milestone_id=milestone.id
                )
            )
    if request.htmx:
        return _progress_widget(innovation, milestone, form, status=status)
    return _milestone_page(innovation, milestone, form, status)


# Where a progress form sits: the innovation's Milestones tab, "My innovations", or the
# milestone's own page (the default, also for a form without the field).
PROGRESS_MODES = ("tab", "mine", "page")


def _progress_widget(innovation, milestone, form, *, saved: bool = False, status: int = 200):
    """What an htmx save changed, in the caller's mode: the whole milestone item (its
    status border included) for the tab and "My innovations", the page's block else."""
    mode = request.form.get("mode")
    mode = mode if mode in PROGRESS_MODES else "page"
    milestone = _fresh(milestone)
    if form is None:
        form = progress_forms([milestone])[milestone.id]
    context = {
        "innovation": innovation,
        "milestone": milestone,
        "form": form,
        "today": reader_today(),
        "next_url": safe_next(request.form.get("next")) or "",
        "saved": saved,
        "milestone_mode": mode,
    }
    if mode == "page":
        history = queries.progress_history([milestone.id], per_milestone=None)
        updates = history.get(milestone.id, [])
        context.update(updates=updates, update_count=len(updates))
        return render_block("innovations/milestone.html", "progress", **context), status
    context.update(
        updates=queries.progress_history([milestone.id]).get(milestone.id, []),
        update_count=queries.update_counts([milestone.id]).get(milestone.id, 0),
        can_manage_milestones=policy.can(current_user, Action.MANAGE_MILESTONES, innovation),
    )
    return render_template("innovations/_milestone.html", **context), status


@bp.get("/my/innovations")
@login_required
def mine():
    """The innovator's work: their milestones by due date, each with the progress form."""
    open_, done = queries.my_milestones(current_user, utcnow() - timedelta(days=DONE_RECENTLY_DAYS))
    innovations = queries.my_innovations(current_user)
    recordable = policy.allowed_innovation_ids(current_user, Action.RECORD_PROGRESS, innovations)
    shown = [m for m in open_ + done if m.innovation_id in recordable]
    ids = [m.id for m in open_ + done]
    proposable = [
        programme
        for programme in policy.visible_programmes(current_user)
        if policy.can(current_user, Action.PROPOSE_INNOVATION, programme)
    ]
    return render_template(
        "innovations/mine.html",
        open_milestones=open_,
        done_milestones=done,
        innovations=innovations,
        history=queries.progress_history(ids),
        update_counts=queries.update_counts(ids),
        progress_forms=progress_forms(shown),
        proposable=proposable,
        today=reader_today(),
        next_url=url_for("innovations.mine"),
    )
