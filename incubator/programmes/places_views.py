"""A programme's places: the regencies/cities it covers, and the agencies taking part."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..auth.door import programme_view
from ..auth.policy import Action, can
from ..extensions import db
from ..form_errors import show_domain_error
from ..models import Region, RegionKind
from ..pipeline import DomainError
from ..pipeline import agencies as agency_ops
from ..pipeline import regions as region_ops
from ..translating import gettext as _
from . import places_queries as queries
from .places_blueprint import bp
from .places_forms import AgencyForm, ParticipantsForm, RegionsForm


def _regions_page(programme, form, status: int = 200):
    province = db.session.get(Region, programme.region_id) if programme.region_id else None
    if province is not None and province.kind != RegionKind.PROVINCE:
        province = None  # a programme made before regions were a reference: no province yet
    places = region_ops.regencies_of(province.id) if province else []
    return render_template(
        "places/regions.html", programme=programme, province=province, places=places, form=form
    ), status


@bp.route("/programmes/<slug>/settings/regions", methods=["GET", "POST"])
@programme_view(Action.MANAGE_PLACES)
def regions(programme):
    form = RegionsForm()
    province_id = programme.region_id
    form.regions.choices = [
        (r.id, r.name) for r in (region_ops.regencies_of(province_id) if province_id else [])
    ]
    if not form.is_submitted():
        form.regions.data = sorted(region_ops.programme_region_ids(programme.id))
        return _regions_page(programme, form)
    if not form.validate():
        return _regions_page(programme, form, 422)
    try:
        changed = region_ops.set_programme_regions(
            programme, set(form.regions.data or []), actor=current_user
        )
    except DomainError as error:
        return _regions_page(programme, form, show_domain_error(form, error))
    db.session.commit()
    if changed:
        flash(_("The programme's regencies and cities have been saved."), "success")
    return redirect(url_for("places.regions", slug=programme.slug))


def agencies_page(programme, *, add_form=None, participants_form=None, status: int = 200):
    rows = queries.agency_rows(programme)
    add_form = add_form or AgencyForm(formdata=None)
    add_form.region_id.choices = queries.place_options(programme)
    participants_form = participants_form or ParticipantsForm(formdata=None)
    if participants_form.agencies.data is None:
        participants_form.agencies.data = [r.id for r in rows if r.taking_part]
    return render_template(
        "places/agencies.html",
        programme=programme,
        rows=rows,
        add_form=add_form,
        participants_form=participants_form,
        may_curate=can(current_user, Action.CURATE_AGENCIES, programme),
    ), status


@bp.get("/programmes/<slug>/settings/agencies")
@programme_view(Action.MANAGE_PLACES)
def agencies(programme):
    return agencies_page(programme)


@bp.post("/programmes/<slug>/settings/agencies")
@programme_view(Action.MANAGE_PLACES)
def add_agency(programme):
    form = AgencyForm()
    form.region_id.choices = queries.place_options(programme)
    if not form.validate():
        return agencies_page(programme, add_form=form, status=422)
    try:
        agency = agency_ops.add_agency(
            programme, name=form.name.data, region_id=form.region_id.data, actor=current_user
        )
    except DomainError as error:
        status = show_domain_error(form, error)
        return agencies_page(programme, add_form=form, status=status)
    db.session.commit()
    flash(_("%(agency)s takes part in the programme.", agency=agency.name), "success")
    return redirect(url_for("places.agencies", slug=programme.slug))


@bp.post("/programmes/<slug>/settings/agencies/participants")
@programme_view(Action.MANAGE_PLACES)
def participants(programme):
    form = ParticipantsForm()
    form.agencies.choices = [(r.id, r.name) for r in queries.agency_rows(programme)]
    if not form.validate():
        return agencies_page(programme, participants_form=form, status=422)
    try:
        changed = agency_ops.set_participants(
            programme, set(form.agencies.data or []), actor=current_user
        )
    except DomainError as error:
        status = show_domain_error(form, error)
        return agencies_page(programme, participants_form=form, status=status)
    db.session.commit()
    if changed:
        flash(_("The agencies taking part have been saved."), "success")
    return redirect(url_for("places.agencies", slug=programme.slug))
