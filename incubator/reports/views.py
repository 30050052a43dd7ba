"""Reports: the dashboard, the printable programme report, exports and calendar feeds."""

import json
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from .. import labels
from ..auth import policy
from ..auth.door import programme_view
from ..auth.policy import Action
from ..board import filters as board_filters
from ..extensions import db
from ..models import (
    Agency,
    EventKind,
    Innovation,
    Programme,
    Role,
    Stage,
    utcnow,
)
from ..models import programme_agencies as participating
from ..pipeline import calendar_tokens
from ..pipeline.events import record_event
from ..pipeline.zones import programme_today, zone_or_default
from ..translating import gettext as _
from . import calendar, dashboard, exports
from . import filters as report_filters
from .forms import StallDaysForm
from .report import innovations_by_stage

bp = Blueprint("reports", __name__)


def _choices(programme: Programme):
    """Agencies taking part or holding cards, with their regions: the filter options."""
    used = select(Innovation.agency_id).where(Innovation.programme_id == programme.id)
    taking_part = select(participating.c.agency_id).where(
        participating.c.programme_id == programme.id
    )
    agencies = list(
        db.session.scalars(
            select(Agency)
            .where(or_(Agency.id.in_(taking_part), Agency.id.in_(used)))
            .options(joinedload(Agency.region))
            .order_by(Agency.name, Agency.id)
        )
    )
    regions = sorted({a.region.id: a.region for a in agencies}.values(), key=lambda r: r.name)
    return regions, agencies


def _filters(programme: Programme):
    """The form, the valid filters and the options; region and agency must be options."""
    form, filters = report_filters.parse(request.args)
    regions, agencies = _choices(programme)
    errors = dict(filters.errors)
    for name, options in (("region", regions), ("agency", agencies)):
        value = getattr(filters, name)
        if value is not None and value not in {option.id for option in options}:
            form[name].errors = [*form[name].errors, _("Choose one of the options.")]
            errors[name] = form[name].errors
    if errors != filters.errors:
        filters = report_filters.DashboardFilters(
            region=None if "region" in errors else filters.region,
            agency=None if "agency" in errors else filters.agency,
            sector=filters.sector,
            start=filters.start,
            end=filters.end,
            errors=errors,
        )
    return form, filters, regions, agencies


def _mentor_id(programme: Programme) -> int | None:
    """A mentor sees the figures of their mentees only."""
    mentor = policy.role_in(current_user, programme.id) == Role.MENTOR
    return current_user.id if mentor else None


def _figures(programme: Programme, filters):
    now = utcnow()
    mentor_id = _mentor_id(programme)
    return dashboard.build(
        programme,
        filters,
        today=programme_today(programme, now),
        now=now,
        zone=ZoneInfo(zone_or_default(programme.timezone)),
        mentor_id=mentor_id,
    )


def _chart_data(figures: dashboard.Dashboard) -> str:
    """What static/js/dashboard.js draws: labels already translated."""
    stages = [labels.label(labels.STAGE_LABELS, s) for s in Stage]
    states = {k.value: str(v) for k, v in labels.STATE_LABELS.items()}
    data = {
        "stages": stages,
        "byState": [
            {"label": states[state], "data": [figures.by_stage_state[s][state] for s in Stage]}
            for state in states
        ],
        "funnel": [figures.funnel[s] for s in Stage],
        "funnelLabel": _("Entered the stage"),
        "median": [figures.stage_times[s].median for s in Stage],
        "p90": [figures.stage_times[s].p90 for s in Stage],
        "medianLabel": _("Median days"),
        "p90Label": _("90th percentile days"),
        "overdueRegions": [name or _("No region") for name, _count in figures.overdue_by_region],
        "overdue": [count for _name, count in figures.overdue_by_region],
        "overdueLabel": _("Overdue milestones"),
    }
    # No "</" can end the <script type="application/json"> block early.
    return json.dumps(data).replace("</", "<\\/")


@bp.get("/dashboard")
@login_required
def home():
    """The first programme whose dashboard the person may see (the navigation's link)."""
    for programme in policy.visible_programmes(current_user):
        if policy.can(current_user, Action.VIEW_DASHBOARD, programme):
            return redirect(url_for("reports.dashboard_page", slug=programme.slug))
    abort(403)


@bp.get("/programmes/<slug>/dashboard")
@programme_view(Action.VIEW_DASHBOARD)
def dashboard_page(programme: Programme):
    form, filters, regions, agencies = _filters(programme)
    figures = _figures(programme, filters)
    context = {
        "programme": programme,
        "form": form,
        "filters": filters,
        "regions": regions,
        "agencies": agencies,
        "figures": figures,
        "chart_data": _chart_data(figures),
        "stall_form": StallDaysForm(data={"stall_days": programme.stall_days}),
        "can_manage": policy.can(current_user, Action.MANAGE_PROGRAMME, programme),
    }
    if filters.errors:
        if request.htmx:  # the messages belong next to the fields: load the whole page
            return "", 204, {"HX-Redirect": request.full_path}
        return render_template("reports/dashboard.html", **context), 400
    if request.htmx and not request.htmx.history_restore_request:
        return render_block("reports/dashboard.html", "dashboard_body", **context)
    return render_template("reports/dashboard.html", **context)


@bp.post("/programmes/<slug>/dashboard/settings")
@programme_view(Action.MANAGE_PROGRAMME)
def stall_settings(programme: Programme):
    form = StallDaysForm()
    if form.validate():
        dashboard_settings_changed = programme.stall_days != form.stall_days.data
        if dashboard_settings_changed:
            record_event(
                programme.id,
                EventKind.SETTINGS_CHANGED,
                actor=current_user,
                stall_days={"from": programme.stall_days, "to": form.stall_days.data},
            )
            programme.stall_days = form.stall_days.data
            db.session.commit()
        flash(_("Saved: stalled after %(num)d days.", num=programme.stall_days), "success")
        return redirect(url_for("reports.dashboard_page", slug=programme.slug))
    form_filters, filters, regions, agencies = _filters(programme)
    figures = _figures(programme, filters)
    return render_template(
        "reports/dashboard.html",
        programme=programme,
        form=form_filters,
        filters=filters,
        regions=regions,
        agencies=agencies,
        figures=figures,
        chart_data=_chart_data(figures),
        stall_form=form,
        can_manage=True,
    ), 422


@bp.get("/programmes/<slug>/report")
@programme_view(Action.VIEW_DASHBOARD)
def report(programme: Programme):
    form, filters, regions, agencies = _filters(programme)
    figures = _figures(programme, filters)
    return render_template(
        "reports/report.html",
        programme=programme,
        form=form,
        filters=filters,
        regions=regions,
        agencies=agencies,
        figures=figures,
        stages=innovations_by_stage(dashboard.scope(programme, filters, _mentor_id(programme))),
        generated=utcnow(),
    ), (400 if filters.errors else 200)


@bp.get("/programmes/<slug>/export/<kind>.<fmt>")
@programme_view(Action.EXPORT)
def export(programme: Programme, kind: str, fmt: str):
    if kind not in exports.KINDS or fmt not in exports.FORMATS:
        abort(404)
    form, filters = board_filters.parse(request.args)
    if filters.errors:
        return render_template(
            "reports/export_refused.html", programme=programme, form=form, filters=filters
        ), 400
    now = utcnow()
    today = programme_today(programme, now)
    clauses = board_filters.conditions(programme.id, filters, current_user, today)
    chosen = filters.args(view=None)
    record_event(
        programme.id, EventKind.EXPORTED, actor=current_user, export=kind, format=fmt, **chosen
    )
    db.session.commit()
    sheet = _("Innovations") if kind == "board" else _("Milestones")
    chunks, mimetype = exports.export(kind, fmt, clauses, now, sheet)
    filename = f"{programme.slug}-{kind}-{today.isoformat()}.{fmt}"
    response = Response(chunks, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str):
    """The secret feed; a wrong or replaced token is simply not found."""
    user = calendar_tokens.user_by_calendar_token(token)
    if user is None:
        abort(404)
    response = Response(calendar.feed(user, utcnow()), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="incubator.ics"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/account/calendar")
@login_required
def regenerate_calendar():
    calendar_tokens.regenerate_calendar_token(current_user._get_current_object())
    db.session.commit()
    flash(_("Your calendar has a new address; the old one no longer works."), "success")
    return redirect(url_for("auth.profile") + "#calendar")
