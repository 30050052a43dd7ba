"""Innovation pages: the profile with its tabs, create, propose, edit, decide, state."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from ..auth import policy
from ..auth.door import innovation_view, programme_view
from ..auth.policy import Action
from ..errors import user_abort
from ..extensions import db
from ..form_errors import show_domain_error
from ..i18n import reader_today
from ..models import InnovationState, sdg_goals, team_member_ids
from ..pipeline import Conflict, DomainError
from ..pipeline import innovations as ops
from ..translating import gettext as _
from ..translating import lazy_gettext as _l
from . import queries
from .blueprint import TABS, bp
from .forms import (
    DeclineForm,
    InnovationForm,
    StateForm,
    choices,
)
from .stamps import ProgressStamps

NO_AGENCY = _l("No agency")
NO_OWNER = _l("No owner yet")
REPLICATES_NOTHING = _l("Nothing (an original innovation)")


def innovation_context(innovation, tab: str, **forms) -> dict:
    """What the page (or one tab of it) shows; only the open tab's rows are loaded."""
    user = current_user
    profile = queries.profile(innovation)
    can_record = policy.can(user, Action.RECORD_PROGRESS, innovation)
    context = {
        "innovation": profile.innovation,
        "profile": profile,
        "programme": profile.programme,
        "tab": tab,
        "today": reader_today(),
        "can_edit": policy.can(user, Action.EDIT_INNOVATION, innovation),
        "can_manage_milestones": policy.can(user, Action.MANAGE_MILESTONES, innovation),
        "can_record": can_record,
        "can_view_documents": policy.can(user, Action.VIEW_DOCUMENTS, innovation),
        "can_view_entries": policy.can(user, Action.VIEW_ENTRY, innovation),
        "can_decide": innovation.is_proposal
        and policy.can(user, Action.DECIDE_PROPOSAL, innovation),
        "can_change_state": not innovation.is_proposal
        and policy.can(user, Action.CHANGE_STATE, innovation),
    }
    if tab == "overview":
        context["publication"] = queries.publication(innovation)
        context["can_publish"] = policy.can(user, Action.PUBLISH, innovation)
        context["can_consent"] = policy.can(user, Action.CONSENT, innovation)
        context["decline_form"] = forms.get("decline_form") or DeclineForm(formdata=None)
        context["state_form"] = forms.get("state_form") or StateForm(formdata=None)
    elif tab == "milestones":
        context.update(milestones_context(innovation, can_record, url_for_tab(innovation, tab)))
    elif tab == "history":
        context["entries"] = queries.timeline(innovation.id)
    return context


def milestones_context(innovation, can_record: bool, next_url: str, bound=None) -> dict:
    milestones = queries.milestones(innovation.id)
    ids = [m.id for m in milestones]
    return {
        "milestones": milestones,
        "history": queries.progress_history(ids),
        "update_counts": queries.update_counts(ids),
        "pending_requests": queries.pending_due_date_requests(ids),
        "progress_forms": progress_forms(milestones, bound) if can_record else {},
        "next_url": next_url,
    }


def progress_forms(milestones, bound=None) -> dict:
    """An inline progress form per milestone: a blank one is stamped (`ProgressStamps`,
    WTForms' HTML rendered once), `bound` is the one just submitted, with its errors."""
    stamps = ProgressStamps()
    return {
        milestone.id: bound[1] if bound is not None and bound[0] == milestone.id else stamps
        for milestone in milestones
    }


def url_for_tab(innovation, tab: str) -> str:
    if tab == "overview":
        return url_for("innovations.detail", innovation_id=innovation.id)
    return url_for("innovations.detail", innovation_id=innovation.id, tab=tab)


@bp.get("/innovations/<int:innovation_id>")
@innovation_view()
def detail(innovation):
    tab = request.args.get("tab", "overview")
    if tab not in TABS:
        tab = "overview"
    return render_template("innovations/detail.html", **innovation_context(innovation, tab))


@bp.get("/innovations/<int:innovation_id>/tabs/<tab>")
@innovation_view()
def tab(innovation, tab: str):
    """One tab with the tab bar: what htmx swaps in (and what a side panel can show)."""
    if tab not in TABS:
        abort(404)
    return render_block("innovations/detail.html", "tabs", **innovation_context(innovation, tab))


def _keep_team_unless_allowed(form: InnovationForm, innovation) -> None:
    """Only a coordinator or the owner hands the innovation over or changes its team:
    for anyone else the fields are not on the form, so posted values are ignored."""
    if not policy.can(current_user, Action.CHANGE_TEAM, innovation):
        del form.owner_id
        del form.team


def _fill_choices(form: InnovationForm, programme, innovation=None) -> None:
    if form.owner_id is not None:
        form.owner_id.choices = choices(queries.innovator_options(programme.id), NO_OWNER)
    if form.team is not None:
        form.team.choices = choices(queries.innovator_options(programme.id))
    form.agency_id.choices = choices(queries.agency_options(programme.id), NO_AGENCY)
    form.replicates_id.choices = choices(
        queries.replicable_options(programme.id, innovation.id if innovation else None),
        REPLICATES_NOTHING,
    )


def _render_form(form, programme, mode: str, innovation=None, status: int = 200):
    return render_template(
        "innovations/form.html", form=form, programme=programme, mode=mode, innovation=innovation
    ), status


@bp.route("/programmes/<slug>/innovations/new", methods=["GET", "POST"])
@programme_view(Action.CREATE_INNOVATION)
def create(programme):
    return _register(
        programme, "create", ops.create_innovation, _("The innovation has been registered.")
    )


@bp.route("/programmes/<slug>/innovations/propose", methods=["GET", "POST"])
@programme_view(Action.PROPOSE_INNOVATION)
def propose(programme):
    return _register(
        programme,
        "propose",
        ops.propose_innovation,
        _("Your proposal has been sent to the coordinators."),
    )


def _register(programme, mode: str, operation, success: str):
    """Create and propose share one form; a proposer owns their proposal, so has no owner field."""
    form = InnovationForm()
    if mode == "propose":
        del form.owner_id
    del form.version
    _fill_choices(form, programme)
    if not form.is_submitted():
        if mode == "propose":
            form.team.data = [current_user.id]
        return _render_form(form, programme, mode)
    status = 422
    if form.validate():
        try:
            innovation = operation(
                programme, current_user, team_ids=form.team.data, **form.profile_data()
            )
        except DomainError as error:
            status = show_domain_error(form, error)
        else:
            db.session.commit()
            flash(success, "success")
            return redirect(url_for("innovations.detail", innovation_id=innovation.id))
    return _render_form(form, programme, mode, status=status)


@bp.route("/innovations/<int:innovation_id>/edit", methods=["GET", "POST"])
@innovation_view(Action.EDIT_INNOVATION)
def edit(innovation):
    programme = queries.profile(innovation).programme
    if request.method != "POST":
        form = InnovationForm(
            formdata=None,
            data={
                "title": innovation.title,
                "summary": innovation.summary,
                "problem": innovation.problem,
                "results": innovation.results,
                "category": innovation.category,
                "is_digital": innovation.is_digital,
                "spm_sector": innovation.spm_sector or "",
                "sdgs": sdg_goals(innovation.id),
                "links": "\n".join(innovation.links or []),
                "team": sorted(team_member_ids(innovation.id)),
                "owner_id": innovation.owner_id or 0,
                "agency_id": innovation.agency_id or 0,
                "replicates_id": innovation.replicates_id or 0,
                "version": str(innovation.version),
            },
        )
        _keep_team_unless_allowed(form, innovation)
        _fill_choices(form, programme, innovation)
        return _render_form(form, programme, "edit", innovation)
    form = InnovationForm()
    if form.version.process_errors:
        abort(400)  # the page sends the version it showed; anything else is not our form
    _keep_team_unless_allowed(form, innovation)
    _fill_choices(form, programme, innovation)
    status = 422
    if form.validate():
        try:
            changed = ops.edit_innovation(
                innovation,
                current_user,
                expected_version=form.expected_version(),
                team_ids=form.team.data if form.team else None,  # None: the team stays
                **form.profile_data(),
            )
        except DomainError as error:
            status = show_domain_error(form, error)
        else:
            db.session.commit()
            if changed:
                flash(_("Your changes have been saved."), "success")
            return redirect(url_for("innovations.detail", innovation_id=innovation.id))
    return _render_form(form, programme, "edit", innovation, status)


@bp.post("/innovations/<int:innovation_id>/accept")
@innovation_view(Action.DECIDE_PROPOSAL)
def accept(innovation):
    try:
        ops.accept_proposal(innovation, current_user)
    except DomainError as error:
        db.session.rollback()
        user_abort(error.status_code, str(error.message))
    db.session.commit()
    flash(_("The proposal has been accepted."), "success")
    return redirect(url_for("innovations.detail", innovation_id=innovation.id))


@bp.post("/innovations/<int:innovation_id>/decline")
@innovation_view(Action.DECIDE_PROPOSAL)
def decline(innovation):
    form = DeclineForm()
    return _overview_form(
        innovation,
        "decline_form",
        form,
        lambda: ops.decline_proposal(innovation, current_user, form.reason.data),
        lambda: _("The proposal has been declined."),
    )


STATE_MESSAGES = {
    InnovationState.ACTIVE: _l("The innovation is active again."),
    InnovationState.ON_HOLD: _l("The innovation is on hold."),
    InnovationState.DROPPED: _l("The innovation has been dropped."),
}


@bp.post("/innovations/<int:innovation_id>/state")
@innovation_view(Action.CHANGE_STATE)
def change_state(innovation):
    form = StateForm()
    return _overview_form(
        innovation,
        "state_form",
        form,
        lambda: ops.change_state(innovation, current_user, form.state.data, form.reason.data),
        lambda: str(STATE_MESSAGES[form.state.data]),
    )


def _overview_form(innovation, name: str, form, write, message):
    """A form on the overview tab: on success flash `message()` and go back to the page;
    a conflict is a 409, any other rule the form re-shown on the tab with a 422."""
    status = 422
    if form.validate():
        try:
            write()
        except Conflict as error:
            db.session.rollback()
            user_abort(409, str(error.message))
        except DomainError as error:
            status = show_domain_error(form, error)
        else:
            db.session.commit()
            flash(message(), "success")
            return redirect(url_for("innovations.detail", innovation_id=innovation.id))
    context = innovation_context(innovation, "overview", **{name: form})
    return render_template("innovations/detail.html", **context), status
