"""Milestone pages: add, edit, delete, the milestone's own page, progress updates,
and the innovator's "My innovations"."""

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from .. import labels
from ..auth import policy
from ..auth.door import innovation_view, load_part, milestone_view
from ..auth.policy import Action
from ..errors import user_abort
from ..extensions import db
from ..form_errors import show_domain_error
from ..i18n import reader_today
from ..models import DocumentKind, DueDateRequest, Milestone, Programme, User, utcnow
from ..pipeline import DomainError, documents
from ..pipeline import milestones as ops
from ..redirects import safe_next
from ..translating import gettext as _
from ..translating import lazy_gettext as _l
from ..uploads import accepts_upload, upload_folder, upload_limit
from . import queries
from .blueprint import bp
from .forms import (
    DueDateDecisionForm,
    DueDateRequestForm,
    MilestoneForm,
    ProgressForm,
    choices,
)
from .stamps import ProgressStamps
from .views import progress_forms

NO_OWNER = _l("Nobody yet")
DONE_RECENTLY_DAYS = 30


def _may_change_gate(innovation) -> bool:
    return policy.can(current_user, Action.MANAGE_GATE, innovation)


def _render_form(form, innovation, milestone=None, status: int = 200):
    programme = db.session.get(Programme, innovation.programme_id)
    return render_template(
        "innovations/milestone_form.html",
        form=form,
        innovation=innovation,
        milestone=milestone,
        programme=programme,
        may_change_gate=_may_change_gate(innovation),
    ), status


def _gate_data(form: MilestoneForm, innovation, milestone=None) -> dict:
    """The form's values for the operation. Innovators are not offered the "required"
    box (only coordinators change the gate): its absence keeps the current value, while
    a box sent anyway reaches the operation, which refuses a change."""
    data = form.milestone_data()
    if not _may_change_gate(innovation) and "required" not in request.form:
        data["required"] = milestone.required if milestone is not None else False
    return data


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
            ops.add_milestone(
                innovation,
                current_user,
                may_change_gate=_may_change_gate(innovation),
                **_gate_data(form, innovation),
            )
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
                milestone,
                innovation,
                current_user,
                may_change_gate=_may_change_gate(innovation),
                **_gate_data(form, innovation, milestone),
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
    try:
        ops.delete_milestone(
            milestone, innovation, current_user, may_change_gate=_may_change_gate(innovation)
        )
    except DomainError as error:
        db.session.rollback()
        user_abort(error.status_code, str(error.message))
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


def _milestone_page(innovation, milestone, form=None, status: int = 200, request_form=None):
    """The milestone with its whole progress history (and the form, if allowed), and
    for a required milestone the request for a new due date."""
    can_record = policy.can(current_user, Action.RECORD_PROGRESS, innovation)
    may_request = milestone.required and policy.can(
        current_user, Action.REQUEST_DUE_DATE, innovation
    )
    pending = ops.open_due_date_request(milestone) if milestone.required else None
    if may_request and request_form is None and pending is None:
        request_form = DueDateRequestForm(formdata=None)
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
        may_change_gate=_may_change_gate(innovation),
        pending_request=pending,
        requested_by=db.session.get(User, pending.requested_by_id)
        if pending and pending.requested_by_id
        else None,
        request_form=request_form if may_request else None,
        today=reader_today(),
        next_url=url_for(
            "innovations.milestone", innovation_id=innovation.id, milestone_id=milestone.id
        ),
    ), status


@bp.post("/innovations/<int:innovation_id>/milestones/<int:milestone_id>/due-date-request")
@milestone_view(Action.REQUEST_DUE_DATE)
def request_due_date(innovation, milestone):
    """An innovator asks for a new due date on a required milestone."""
    form = DueDateRequestForm()
    status = 422
    if form.validate():
        try:
            ops.request_due_date(
                milestone,
                innovation,
                current_user,
                due_date=form.due_date.data,
                reason=form.reason.data,
            )
        except DomainError as error:
            status = show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Your request has been sent to the coordinators."), "success")
            return redirect(
                url_for(
                    "innovations.milestone", innovation_id=innovation.id, milestone_id=milestone.id
                )
            )
    return _milestone_page(innovation, milestone, status=status, request_form=form)


@bp.post(
    "/innovations/<int:innovation_id>/milestones/<int:milestone_id>"
    "/due-date-request/<int:request_id>"
)
@milestone_view(Action.MANAGE_GATE)
def decide_due_date(innovation, milestone, request_id):
    """A coordinator approves (the date moves) or declines a request."""
    due_request = load_part(DueDateRequest, request_id, milestone_id=milestone.id)
    form = DueDateDecisionForm()
    if not form.validate():
        user_abort(400, _("Choose to approve or decline the request."))
    approve = form.decision.data == "approve"
    try:
        ops.decide_due_date(due_request, milestone, innovation, current_user, approve=approve)
    except DomainError as error:
        db.session.rollback()
        user_abort(error.status_code, str(error.message))
    db.session.commit()
    flash(
        _("The new due date has been approved.")
        if approve
        else _("The request for a new due date has been declined."),
        "success",
    )
    return redirect(
        url_for("innovations.milestone", innovation_id=innovation.id, milestone_id=milestone.id)
    )


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
            # Drawn before the commit, from the objects just written: the commit would
            # expire them, and drawing after it would load them again.
            answer = _progress_widget(innovation, milestone, saved=True) if request.htmx else None
            db.session.commit()
            if answer is not None:
                return answer
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


def _progress_widget(innovation, milestone, form=None, *, saved=False, status: int = 200):
    """What an htmx save changed, in the caller's mode: the whole milestone item (its
    status border included) for the tab and "My innovations", the page's block else.
    Drawn from the objects in hand, as saved or refused (nothing reloaded); a blank form
    is stamped, a refused one is the bound form with its errors."""
    mode = request.form.get("mode")
    mode = mode if mode in PROGRESS_MODES else "page"
    context = {
        "innovation": innovation,
        "milestone": milestone,
        "form": form if form is not None else ProgressStamps(),
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
    if mode == "mine":  # compact: how many updates, not which
        context["update_count"] = queries.update_count(milestone.id)
    else:
        updates = queries.progress_history([milestone.id]).get(milestone.id, [])
        queries.load_owner(milestone)  # the tab names the owner
        context.update(
            updates=updates,
            update_count=queries.update_count(milestone.id),
            can_manage_milestones=policy.can(current_user, Action.MANAGE_MILESTONES, innovation),
            # The item's "New due date asked for" badge stays through a save.
            pending_requests=queries.pending_due_date_requests([milestone.id]),
        )
    return render_template("innovations/_milestone.html", **context), status


@bp.get("/my/innovations")
@login_required
def mine():
    """The innovator's work: their milestones by due date, each with the progress form.

    The page is rendered inline (`mine.html`) from data made once a page: the words
    translated once, the URLs from one prefix, and the progress form rendered by WTForms
    once per language and stamped per milestone (`ProgressStamps`) rather than a bound
    form per milestone (40 of them cost most of the page's time). An htmx save answers
    with `_milestone.html` in mode "mine", which renders the same item; a test holds the
    two the same."""
    open_, done = queries.my_milestones(current_user, utcnow() - timedelta(days=DONE_RECENTLY_DAYS))
    innovations = queries.my_innovations(current_user)
    recordable = policy.allowed_innovation_ids(current_user, Action.RECORD_PROGRESS, innovations)
    ids = [m.id for m in open_ + done]
    proposable = [
        programme
        for programme in policy.visible_programmes(current_user)
        if policy.can(current_user, Action.PROPOSE_INNOVATION, programme)
    ]
    counts = queries.update_counts(ids)
    today = reader_today()
    return render_template(
        "innovations/mine.html",
        open_milestones=open_,
        done_milestones=done,
        innovations=innovations,
        update_counts=counts,
        recordable=recordable,
        forms=ProgressStamps(),
        words=_mine_words(counts.values()),
        status_of=lambda milestone: queries.milestone_status(milestone, today),
        proposable=proposable,
        today=today,
        next_url=url_for("innovations.mine"),
    )


def _mine_words(counts) -> dict:
    """What "My innovations" says per milestone, translated once a page. Those with
    %(title)s or %(date)s are filled in the template with `replace` (autoescaped)."""
    words = {
        key: _(text)
        for key, text in (
            ("due", "Due"),
            ("no_due_date", "no due date"),
            ("done", "Done"),
            ("overdue", "Overdue"),
            ("due_today", "Due today"),
            ("due_soon", "Due soon"),
            ("update_progress", "Update progress"),
            ("progress_of", "Progress of %(title)s"),
            ("save_of", "Save progress of %(title)s"),
            ("completed_on", "Completed on %(date)s"),
        )
    }
    # By the stored key (a plain string on a row, a Stage member in STAGE_LABELS).
    words["stages"] = {str(stage.value): str(text) for stage, text in labels.STAGE_LABELS.items()}
    words["updates"] = {
        count: ngettext("%(num)d progress update", "%(num)d progress updates", count)
        for count in set(counts)
    }
    return words
