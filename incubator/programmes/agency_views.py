"""Curating a shared agency: rename, merge into another, delete. Organisers only, because
the change reaches every programme that uses the agency."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..auth.door import programme_view
from ..auth.policy import Action
from ..extensions import db
from ..form_errors import show_domain_error
from ..models import Agency, Region
from ..pipeline import DomainError
from ..pipeline import agencies as ops
from ..translating import gettext as _
from . import places_queries as queries
from .places_blueprint import bp
from .places_forms import MergeForm, RenameForm


def _agency_or_404(programme, agency_id: int) -> Agency:
    agency = queries.agency_in_programme(programme, agency_id)
    if agency is None:
        abort(404)
    return agency


def _page(programme, agency, *, rename=None, merge=None, errors=(), status: int = 200):
    rename = rename or RenameForm(formdata=None, obj=agency)
    merge = merge or MergeForm(formdata=None)
    merge.target_id.choices = queries.merge_targets(programme, agency)
    return render_template(
        "places/agency.html",
        programme=programme,
        agency=agency,
        region=db.session.get(Region, agency.region_id),
        innovations=ops.innovation_count(agency.id),
        rename_form=rename,
        merge_form=merge,
        errors=errors,
    ), status


@bp.get("/programmes/<slug>/settings/agencies/<int:agency_id>")
@programme_view(Action.CURATE_AGENCIES)
def agency(programme, agency_id: int):
    return _page(programme, _agency_or_404(programme, agency_id))


@bp.post("/programmes/<slug>/settings/agencies/<int:agency_id>/rename")
@programme_view(Action.CURATE_AGENCIES)
def rename(programme, agency_id: int):
    agency = _agency_or_404(programme, agency_id)
    form = RenameForm()
    if not form.validate():
        return _page(programme, agency, rename=form, status=422)
    old = agency.name
    try:
        ops.rename_agency(agency, form.name.data, actor=current_user)
    except DomainError as error:
        status = show_domain_error(form, error)
        return _page(programme, db.session.get(Agency, agency_id), rename=form, status=status)
    db.session.commit()
    flash(_("%(old)s is now called %(new)s.", old=old, new=agency.name), "success")
    return redirect(url_for("places.agencies", slug=programme.slug))


@bp.post("/programmes/<slug>/settings/agencies/<int:agency_id>/merge")
@programme_view(Action.CURATE_AGENCIES)
def merge(programme, agency_id: int):
    agency = _agency_or_404(programme, agency_id)
    form = MergeForm()
    form.target_id.choices = queries.merge_targets(programme, agency)
    if not form.validate():
        return _page(programme, agency, merge=form, status=422)
    target = _agency_or_404(programme, form.target_id.data)
    name = agency.name
    moved = ops.merge_agencies(agency, target, actor=current_user)
    db.session.commit()
    flash(
        _(
            "%(old)s has been merged into %(new)s (%(n)d innovations moved).",
            old=name,
            new=target.name,
            n=moved,
        ),
        "success",
    )
    return redirect(url_for("places.agencies", slug=programme.slug))


@bp.post("/programmes/<slug>/settings/agencies/<int:agency_id>/delete")
@programme_view(Action.CURATE_AGENCIES)
def delete(programme, agency_id: int):
    agency = _agency_or_404(programme, agency_id)
    name = agency.name
    try:
        ops.delete_agency(agency, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        agency = db.session.get(Agency, agency_id)
        return _page(programme, agency, errors=[str(error.message)], status=error.status_code)
    db.session.commit()
    flash(_("%(agency)s has been deleted.", agency=name), "success")
    return redirect(url_for("places.agencies", slug=programme.slug))
