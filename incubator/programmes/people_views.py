"""The People page of a programme: who takes part, inviting, roles, removing, the event log."""

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from .. import stash
from ..auth import policy
from ..auth.door import programme_view
from ..auth.policy import Action
from ..extensions import db
from ..form_errors import show_domain_error
from ..models import Agency, Invitation, Role
from ..pipeline import DomainError, people_import
from ..pipeline import invitations as invites
from ..pipeline import people as operations
from ..reminders.links import absolute_url
from ..translating import gettext as _
from . import people_queries as queries
from .people_forms import ConfirmImportForm, ImportForm, InviteForm, RoleForm
from .people_labels import delivery_label, event_text, status_label

bp = Blueprint("people", __name__)

MAX_UPLOAD = 2 * 1024 * 1024
MAX_ID = 2**31 - 1


@bp.app_template_global()
def people_url(programme) -> str | None:
    """The People page of `programme` for the header, if the current user may open it."""
    if current_user.is_authenticated and policy.can(current_user, Action.VIEW_PEOPLE, programme):
        return url_for("people.index", slug=programme.slug)
    return None


def _agencies(programme) -> list[tuple[int, str]]:
    allowed = invites.programme_agency_ids(programme)
    return list(
        db.session.execute(
            select(Agency.id, Agency.name).where(Agency.id.in_(allowed)).order_by(Agency.name)
        ).all()
    )


def _filters() -> dict:
    role = request.args.get("role", "")
    status = request.args.get("status", "")
    return {
        "q": request.args.get("q", "").strip()[:100],
        "role": role if role in set(Role) else "",
        "status": status if status in queries.STATUSES else "",
    }


def _page(programme, *, invite_form=None, status=200):
    filters = _filters()
    context = {
        "programme": programme,
        "rows": queries.people(programme, **filters),
        "filters": filters,
        "events": [(e, event_text(e, a, s)) for e, a, s in queries.events(programme)],
        "orphans": queries.orphaned_innovations(programme),
        "invite_form": invite_form or InviteForm(agencies=_agencies(programme), formdata=None),
        "statuses": queries.STATUSES,
        "status_label": status_label,
        "delivery_label": delivery_label,
    }
    return render_template("programmes/people.html", **context), status


def _back(programme):
    return redirect(url_for("people.index", slug=programme.slug))


@bp.get("/programmes/<slug>/people")
@programme_view(Action.VIEW_PEOPLE)
def index(programme):
    return _page(programme)


@bp.post("/programmes/<slug>/people/invite")
@programme_view(Action.INVITE_PEOPLE)
def invite(programme):
    form = InviteForm(agencies=_agencies(programme))
    if form.validate_on_submit():
        invitee = invites.Invitee(
            name=form.name.data,
            email=form.email.data,
            role=form.role.data,
            agency_id=form.agency(),
            capacity=form.capacity.data,
            locale=form.locale.data,
        )
        try:
            invitee = invites.check_invitee(
                programme, invitee, agencies=invites.programme_agency_ids(programme)
            )
            invitation = invites.invite(programme, invitee, actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            if invitation.is_pending:
                flash(_("Invitation sent to %(email)s.", email=invitee.email), "success")
            else:
                flash(
                    _(
                        "%(email)s already has an account: added, and told by email.",
                        email=invitee.email,
                    ),
                    "success",
                )
            return _back(programme)
    return _page(programme, invite_form=form, status=422)


# --- many at once: preview, then confirm (the file waits in places' stash) -------

IMPORT_PURPOSE = "people-import"


def _owner(programme) -> str:
    return f"{current_user.id}:{programme.id}"


def _preview_page(programme, form, preview=None, token=None, status=200):
    confirm = None
    if preview is not None and not preview.errors:
        confirm = ConfirmImportForm(formdata=None, token=token)
    return (
        render_template(
            "programmes/people_import.html",
            programme=programme,
            form=form,
            preview=preview,
            confirm=confirm,
        ),
        status,
    )


@bp.route("/programmes/<slug>/people/import", methods=["GET", "POST"])
@programme_view(Action.INVITE_PEOPLE)
def import_people(programme):
    form = ImportForm()
    if request.method == "GET":
        return _preview_page(programme, form)
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        form.file.errors = [*form.file.errors, _("Choose a CSV or XLSX file.")]
        return _preview_page(programme, form, status=422)
    data = upload.read(MAX_UPLOAD)
    try:
        preview = people_import.preview_file(programme, upload.filename, data)
    except DomainError as error:
        return _preview_page(programme, form, status=show_domain_error(form, error))
    if preview.errors:
        return _preview_page(programme, form, preview, status=422)
    token = stash.stash(data, upload.filename, purpose=IMPORT_PURPOSE, owner=_owner(programme))
    return _preview_page(programme, form, preview, token=token)


@bp.post("/programmes/<slug>/people/import/confirm")
@programme_view(Action.INVITE_PEOPLE)
def confirm_import(programme):
    confirm = ConfirmImportForm()
    stashed = None
    if confirm.validate_on_submit():
        stashed = stash.unstash(
            confirm.token.data or "", purpose=IMPORT_PURPOSE, owner=_owner(programme)
        )
    form = ImportForm(formdata=None)
    if stashed is None:
        form.file.errors = [_("This preview has expired. Upload the file again.")]
        return _preview_page(programme, form, status=400)
    filename, data = stashed
    try:
        preview = people_import.preview_file(programme, filename, data)
    except DomainError as error:
        return _preview_page(programme, form, status=show_domain_error(form, error))
    if preview.errors:  # someone joined meanwhile, say: show why, import nothing
        return _preview_page(programme, form, preview, status=422)
    count = people_import.apply(programme, preview, actor=current_user)
    db.session.commit()
    flash(_("%(count)d invitations sent.", count=count), "success")
    return _back(programme)


# --- one person -----------------------------------------------------------------


def _row(programme, user_id: int) -> queries.PersonRow:
    row = queries.member_row(programme, user_id) if 0 < user_id <= MAX_ID else None
    if row is None:
        abort(404)
    return row


def _person_page(programme, row, *, role_form=None, error=None, status=200):
    return (
        render_template(
            "programmes/person.html",
            programme=programme,
            row=row,
            role_form=role_form or RoleForm(formdata=None, role=row.role),
            error=error,
            owned=operations.owned_innovations(programme, row.user.id),
            may_grant=policy.can(current_user, Action.GRANT_ORGANISER, programme),
            status_label=status_label,
            delivery_label=delivery_label,
        ),
        status,
    )


@bp.get("/programmes/<slug>/people/<int:user_id>")
@programme_view(Action.MANAGE_PEOPLE)
def person(programme, user_id: int):
    return _person_page(programme, _row(programme, user_id))


def _act(programme, user_id: int, operation, done, **kwargs):
    """Run one operation on a member; a refusal is shown on their page (422). `done(name)`
    is the message flashed on success (the member's row is read once, here)."""
    row = _row(programme, user_id)
    try:
        result = operation(programme, user_id, actor=current_user, **kwargs)
    except DomainError as error:
        db.session.rollback()
        return _person_page(programme, row, error=str(error.message), status=422), None, row
    db.session.commit()
    flash(done(row.user.name), "success")
    return None, result, row


@bp.post("/programmes/<slug>/people/<int:user_id>/role")
@programme_view(Action.MANAGE_PEOPLE)
def change_role(programme, user_id: int):
    row = _row(programme, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _person_page(programme, row, role_form=form, status=422)
    try:
        operations.change_role(programme, user_id, form.role.data, actor=current_user)
    except DomainError as error:
        show_domain_error(form, error)
        return _person_page(programme, row, role_form=form, status=422)
    db.session.commit()
    flash(_("The role of %(name)s has been changed.", name=row.user.name), "success")
    return redirect(url_for("people.person", slug=programme.slug, user_id=user_id))


@bp.post("/programmes/<slug>/people/<int:user_id>/remove")
@programme_view(Action.MANAGE_PEOPLE)
def remove(programme, user_id: int):
    page, owned, row = _act(
        programme,
        user_id,
        operations.remove_member,
        lambda name: _("%(name)s has been removed from the programme.", name=name),
    )
    if page is not None:
        return page
    if owned:
        name = row.user.name
        flash(
            _("%(name)s still owns innovations: give them to someone else below.", name=name),
            "warning",
        )
    return _back(programme)


@bp.post("/programmes/<slug>/people/<int:user_id>/deactivate")
@programme_view(Action.MANAGE_PEOPLE)
def deactivate(programme, user_id: int):
    page, _user, _member = _act(
        programme,
        user_id,
        operations.deactivate,
        lambda name: _(
            "The account of %(name)s is deactivated; their sessions have ended.", name=name
        ),
    )
    return page or redirect(url_for("people.person", slug=programme.slug, user_id=user_id))


@bp.post("/programmes/<slug>/people/<int:user_id>/reactivate")
@programme_view(Action.MANAGE_PEOPLE)
def reactivate(programme, user_id: int):
    page, _user, _member = _act(
        programme,
        user_id,
        operations.reactivate,
        lambda name: _("The account of %(name)s is active again.", name=name),
    )
    return page or redirect(url_for("people.person", slug=programme.slug, user_id=user_id))


@bp.post("/programmes/<slug>/people/<int:user_id>/organiser")
@programme_view(Action.GRANT_ORGANISER)
def organiser(programme, user_id: int):
    value = request.form.get("organiser") == "1"

    def done(name):
        if value:
            return _("%(name)s may now create programmes.", name=name)
        return _("%(name)s may no longer create programmes.", name=name)

    page, _user, _member = _act(programme, user_id, operations.set_organiser, done, value=value)
    return page or redirect(url_for("people.person", slug=programme.slug, user_id=user_id))


def _open_invitation(programme, user_id: int) -> tuple[queries.PersonRow, Invitation]:
    row = _row(programme, user_id)
    if row.invitation is None or not row.invitation.is_pending:
        abort(404)
    return row, row.invitation


@bp.post("/programmes/<slug>/people/<int:user_id>/resend")
@programme_view(Action.MANAGE_PEOPLE)
def resend(programme, user_id: int):
    row, invitation = _open_invitation(programme, user_id)
    invites.resend(invitation, actor=current_user)
    db.session.commit()
    flash(
        _(
            "A new invitation is on its way to %(email)s; the old link no longer works.",
            email=row.user.email,
        ),
        "success",
    )
    return redirect(url_for("people.person", slug=programme.slug, user_id=user_id))


@bp.post("/programmes/<slug>/people/<int:user_id>/revoke")
@programme_view(Action.MANAGE_PEOPLE)
def revoke(programme, user_id: int):
    row, invitation = _open_invitation(programme, user_id)
    invites.revoke(invitation, actor=current_user)
    db.session.commit()
    flash(_("The invitation of %(email)s has been withdrawn.", email=row.user.email), "success")
    return _back(programme)


@bp.post("/programmes/<slug>/people/<int:user_id>/link")
@programme_view(Action.MANAGE_PEOPLE)
def invitation_link(programme, user_id: int):
    """ "Copy invitation link": shown to the coordinator who asked, to send by WhatsApp."""
    row, invitation = _open_invitation(programme, user_id)
    # The very link of the email (BASE_URL, same token), not one made from this request.
    link = absolute_url("auth.accept_invitation", token=invites.invitation_token(invitation))
    invites.link_copied(invitation, actor=current_user)
    db.session.commit()
    body = render_template(
        "programmes/invitation_link.html", programme=programme, row=row, link=link
    )
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
