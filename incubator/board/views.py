"""Board pages: the board, column pages, the card panel, moves and WIP limits."""

import json
from dataclasses import dataclass

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
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from .. import labels
from ..auth import policy
from ..auth.door import card_view, load_programme, programme_view
from ..auth.policy import Action
from ..extensions import db
from ..form_errors import show_domain_error
from ..models import InnovationState, Programme, Stage, utcnow
from ..numbers import ID_MAX, query_int
from ..pipeline import Conflict, DomainError, stages
from ..pipeline.ordering import Slot
from ..pipeline.zones import programme_today
from ..translating import gettext as _
from . import card_detail, card_markup, queries
from . import filters as board_filters
from .forms import MoveForm, WipLimitsForm

bp = Blueprint("board", __name__)
bp.add_app_template_global(card_markup.card_list)


@bp.get("/")
@login_required
def home():
    programmes = policy.open_memberships(current_user)
    if not programmes:
        can_create = policy.can(current_user, Action.CREATE_PROGRAMME)
        return render_template("board/no_programme.html", can_create=can_create)
    return redirect(url_for("board.board", slug=programmes[0].slug))


@bp.get("/programmes/switch")
@login_required
def switch_programme():
    programme = load_programme(request.args.get("slug", ""))
    return redirect(url_for("board.board", slug=programme.slug))


@dataclass(frozen=True)
class CardLinks:
    """The cards' URLs, built once a page rather than with url_for per card (that was
    hundreds of calls a board): `cards` + id is a card's page (and panel), `cards` + id +
    "/move" + `query` its move (board.js builds those from the list's data attributes)."""

    cards: str
    query: str


def card_links(programme: Programme, filters) -> CardLinks:
    sample = url_for("board.move", slug=programme.slug, card_id=0, **filters.args())
    path, _, query = sample.partition("?")
    cards = path.removesuffix("0/move")
    return CardLinks(cards, f"?{query}" if query else "")


def _board_context(programme: Programme, filters, form, message: str | None = None) -> dict:
    now = utcnow()
    today = programme_today(programme, now)
    return {
        "programme": programme,
        "filters": filters,
        "links": card_links(programme, filters),
        "filter_form": form,
        "choices": board_filters.filter_choices(programme, filters),
        "data": queries.board(programme, filters, current_user, today, now),
        "can_move": policy.can(current_user, Action.MOVE_CARD, programme),
        "can_manage": policy.can(current_user, Action.MANAGE_PROGRAMME, programme),
        "message": message,
    }


@bp.get("/programmes/<slug>/board")
@programme_view()
def board(programme: Programme):
    form, filters = board_filters.parse(request.args)
    context = _board_context(programme, filters, form)
    status = 400 if filters.errors else 200
    if request.htmx and not request.htmx.history_restore_request:
        return render_block("board/board.html", "board_body", **context), status
    return render_template("board/board.html", **context), status


@bp.get("/programmes/<slug>/board/<stage>/cards")
@programme_view()
def column(programme: Programme, stage: str):
    """The next page of a column (or a swimlane cell with `lane`), for infinite scroll."""
    if stage not in set(Stage):
        abort(404)
    filters = board_filters.from_args(request.args)
    try:
        cursor = queries.decode_cursor(request.args["cursor"]) if "cursor" in request.args else None
    except ValueError:
        abort(400)
    lane = query_int("lane", low=queries.NO_REGION, high=ID_MAX)
    now = utcnow()
    cell = queries.column_page(
        programme,
        Stage(stage),
        filters,
        current_user,
        programme_today(programme, now),
        now,
        cursor,
        lane,
    )
    return render_template(
        "board/_page.html",
        cell=cell,
        programme=programme,
        filters=filters,
        links=card_links(programme, filters),
        can_move=policy.can(current_user, Action.MOVE_CARD, programme),
    )


@bp.get("/programmes/<slug>/cards/<int:card_id>")
@card_view()
def card(programme: Programme, innovation):
    now = utcnow()
    detail = card_detail.card_detail(innovation, programme_today(programme, now), now)
    if request.htmx:
        return render_block(
            "board/card_page.html", "card_detail", programme=programme, detail=detail
        )
    return render_template("board/card_page.html", programme=programme, detail=detail)


def _render_move_form(programme, innovation, form, filters, status=200, unfinished=None):
    source = innovation.stage_enum
    if unfinished is None:
        unfinished = stages.unfinished_required(innovation.id, source)
    context = {
        "programme": programme,
        "innovation": innovation,
        "form": form,
        "filters": filters,
        "targets": stages.allowed_targets(source),
        "next_stage": stages.next_stage(source),
        "unfinished": unfinished,
    }
    if request.htmx:
        return render_block("board/move_page.html", "move_form", **context), status
    return render_template("board/move_page.html", **context), status


@bp.get("/programmes/<slug>/cards/<int:card_id>/move")
@card_view(Action.MOVE_CARD)
def move_form(programme: Programme, innovation):
    filters = board_filters.from_args(request.args)
    target = request.args.get("stage")
    if target not in set(Stage):
        # Forward is the usual move; a card that cannot go forward reorders by default.
        following = stages.next_stage(innovation.stage_enum)
        active = innovation.state == InnovationState.ACTIVE
        target = following if following and active else innovation.stage
    form = MoveForm(
        formdata=None,
        data={
            "stage": target,
            "version": innovation.version,
            "from_stage": innovation.stage,
        },
    )
    return _render_move_form(programme, innovation, form, filters)


@bp.post("/programmes/<slug>/cards/<int:card_id>/move")
@card_view(Action.MOVE_CARD)
def move(programme: Programme, innovation):
    filters = board_filters.from_args(request.args)
    form = MoveForm()
    if not form.validate():
        return _render_move_form(programme, innovation, form, filters, 422)
    try:
        result = stages.move_card(
            innovation,
            actor=current_user,
            to_stage=form.stage.data,
            expected_version=form.version.data,
            slot=Slot(form.after_id.data, form.before_id.data),
            index=form.position.data - 1 if form.position.data else None,
            reason=form.reason.data,
        )
    except Conflict as error:
        db.session.rollback()
        return _move_conflict(programme, innovation, form, filters, str(error.message))
    except DomainError as error:
        show_domain_error(form, error, default="stage")
        unfinished = getattr(error, "unfinished", None)
        return _render_move_form(programme, innovation, form, filters, 422, unfinished)
    return _move_done(programme, result, filters)


def _commit_keeping_loaded() -> None:
    """Commit without expiring what the request loaded: the answer needs of the programme
    and the card only what this transaction wrote or read, which an expired object would
    read again (two statements a move)."""
    session = db.session()
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def _move_done(programme: Programme, result: stages.MoveResult, filters):
    innovation = result.innovation
    if result.transition is not None:
        message = _(
            "“%(title)s” moved to %(stage)s.",
            title=innovation.title,
            stage=labels.label(labels.STAGE_LABELS, result.to_stage),
        )
    else:
        message = _("“%(title)s” reordered.", title=innovation.title)
    if not request.htmx:
        _commit_keeping_loaded()
        flash(message, "success")
        return redirect(url_for("board.board", slug=programme.slug, **filters.args()))
    # The redrawn card and the counts are read in the move's transaction, which sees
    # what it wrote, then it commits: on PostgreSQL a second transaction for them cost
    # two more round trips (BEGIN, COMMIT) a move. The answer is drawn after the commit,
    # so SQLite's write lock is not held while it renders.
    now = utcnow()
    today = programme_today(programme, now)
    card = queries.card(innovation.id, today, now)
    lane = card.lane if filters.swimlanes else None
    touched = [s for s in Stage if s in (result.from_stage, result.to_stage)]
    data = queries.move_counts(programme, filters, current_user, today, touched, lane=lane)
    _commit_keeping_loaded()
    list_key = str(result.to_stage) if lane is None else f"r{lane}-{result.to_stage}"
    event = {
        "card": innovation.id,
        "list": f"cards-{list_key}",
        "after": result.slot.after_id,
        "before": result.slot.before_id,
    }
    return _move_fragment(
        "board/_moved.html",
        200,
        {"board:moved": event},
        programme=programme,
        filters=filters,
        links=card_links(programme, filters),
        card=card,
        data=data,
        message=message,
    )


def _move_fragment(template: str, status: int, event: dict, **context):
    """The part of the board a move changed, and the event board.js handles after the swap."""
    response = make_response(render_template(template, can_move=True, **context), status)
    response.headers["HX-Trigger-After-Settle"] = json.dumps(event)
    return response


def _move_conflict(programme, innovation, form, filters, message: str):
    """409: redraw the columns the user's view had wrong, and say why."""
    affected = {innovation.stage}  # reloaded after the rollback: the current truth
    for key in (form.stage.data, form.from_stage.data):
        if key in set(Stage):
            affected.add(key)
    if not request.htmx:
        filter_form = board_filters.parse(request.args)[0]
        context = _board_context(programme, filters, filter_form, message=message)
        return render_template("board/board.html", **context), 409
    now = utcnow()
    today = programme_today(programme, now)
    columns = [s for s in Stage if s in affected]
    data = queries.board(
        programme,
        filters,
        current_user,
        today,
        now,
        stages=None if filters.swimlanes else columns,
    )
    return _move_fragment(
        "board/_conflict.html",
        409,
        {"board:conflict": {}},
        programme=programme,
        filters=filters,
        links=card_links(programme, filters),
        data=data,
        message=message,
    )


@bp.route("/programmes/<slug>/settings/board", methods=["GET", "POST"])
@programme_view(Action.MANAGE_PROGRAMME)
def settings(programme: Programme):
    form = WipLimitsForm(data=dict(programme.wip_limits or {}))
    if request.method == "POST":
        if form.validate():
            try:
                stages.set_wip_limits(
                    programme,
                    {str(stage): form[str(stage)].data for stage in Stage},
                    actor=current_user,
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                db.session.commit()
                flash(_("WIP limits saved."), "success")
                return redirect(url_for("board.board", slug=programme.slug))
        return render_template("board/settings.html", programme=programme, form=form), 422
    return render_template("board/settings.html", programme=programme, form=form)
