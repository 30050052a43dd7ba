"""Programme pages: the list (with archived ones on request), create, settings, archive."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..auth import door, policy
from ..auth.policy import Action
from ..errors import user_abort
from ..extensions import db
from ..form_errors import show_domain_error
from ..innovations.forms import NONE
from ..models import Membership, Programme, Region, RegionKind
from ..pipeline import DomainError
from ..pipeline import programmes as ops
from ..translating import gettext as _
from .forms import NewProgrammeForm, ProgrammeForm

bp = Blueprint("programmes", __name__)


def _provinces() -> list[tuple[int, str]]:
    return list(
        db.session.execute(
            select(Region.id, Region.name)
            .where(Region.kind == RegionKind.PROVINCE)
            .order_by(Region.name)
        )
    )


@bp.get("/programmes")
@login_required
def index():
    """The user's programmes; archived ones only with ?archived=1."""
    show_archived = request.args.get("archived") == "1"
    query = (
        select(Programme, Membership.role)
        .join(Membership, Membership.programme_id == Programme.id)
        .where(Membership.user_id == current_user.id)
        .order_by(Programme.archived, Programme.name)
    )
    if not show_archived:
        query = query.where(Programme.archived.is_(False))
    archived_count = db.session.scalar(
        select(db.func.count())
        .select_from(Membership)
        .join(Programme, Programme.id == Membership.programme_id)
        .where(Membership.user_id == current_user.id, Programme.archived.is_(True))
    )
    return render_template(
        "programmes/index.html",
        rows=list(db.session.execute(query)),
        show_archived=show_archived,
        archived_count=archived_count,
        can_create=policy.can(current_user, Action.CREATE_PROGRAMME),
    )


@bp.route("/programmes/new", methods=["GET", "POST"])
@door.personal_view(Action.CREATE_PROGRAMME)
def create():
    sources = ops.copy_sources(current_user)
    form = NewProgrammeForm(provinces=_provinces(), sources=sources)
    if not form.is_submitted():
        form.timezone.data = current_app.config["APP_TIMEZONE"]
        return _form_page(form, None)
    if not form.validate():
        return _form_page(form, None, 422)
    copy_from = next((p for p in sources if p.id == form.copy_from.data), None)
    if form.copy_from.data != NONE and copy_from is None:
        form.copy_from.errors.append(_("Choose a programme you coordinate."))
        return _form_page(form, None, 422)
    try:
        programme = ops.create_programme(
            form.settings(),
            actor=current_user,
            copy_from=copy_from,
            carry_over=form.carry_over.data,
        )
    except DomainError as error:
        return _form_page(form, None, show_domain_error(form, error))
    db.session.commit()
    policy.forget_memberships()
    flash(_("The programme “%(name)s” has been created.", name=programme.name), "success")
    return redirect(url_for("board.board", slug=programme.slug), code=303)


@bp.route("/programmes/<slug>/settings", methods=["GET", "POST"])
@door.programme_view(Action.ARCHIVE_PROGRAMME)
def settings(programme: Programme):
    """A coordinator's page for the programme's own settings. Archived, it is read-only
    but still opens (for the coordinators, who may restore it); saving answers 409."""
    if request.method == "POST":
        door.check(Action.EDIT_PROGRAMME, programme)
    form = ProgrammeForm(obj=programme, provinces=_provinces())
    if not form.is_submitted():
        form.region_id.data = programme.region_id or NONE
        return _form_page(form, programme)
    if not form.validate():
        return _form_page(form, programme, 422)
    try:
        changed = ops.update_programme(programme, form.settings(), actor=current_user)
    except DomainError as error:
        return _form_page(form, programme, show_domain_error(form, error))
    db.session.commit()
    if changed:
        flash(_("The programme settings have been saved."), "success")
    return redirect(url_for("programmes.settings", slug=programme.slug), code=303)


@bp.post("/programmes/<slug>/archive")
@door.programme_view(Action.ARCHIVE_PROGRAMME)
def archive(programme: Programme):
    restore = request.form.get("restore") == "1"
    try:
        if restore:
            ops.restore_programme(programme, actor=current_user)
        else:
            ops.archive_programme(programme, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        user_abort(error.status_code, str(error.message))
    db.session.commit()
    policy.forget_memberships()
    if restore:
        flash(_("“%(name)s” is active again.", name=programme.name), "success")
    else:
        flash(
            _(
                "“%(name)s” is archived: read-only and hidden from the switcher.",
                name=programme.name,
            ),
            "success",
        )
    return redirect(url_for("programmes.settings", slug=programme.slug), code=303)


def _form_page(form, programme: Programme | None, status: int = 200):
    return render_template("programmes/form.html", form=form, programme=programme), status
