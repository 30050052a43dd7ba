"""Board pages."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..auth import policy
from ..models import Stage
from . import queries

bp = Blueprint("board", __name__)


@bp.get("/")
@login_required
def home():
    programmes = policy.visible_programmes(current_user)
    if not programmes:
        return render_template("board/no_programme.html")
    return redirect(url_for("board.board", slug=programmes[0].slug))


@bp.get("/programmes/<slug>/board")
@login_required
def board(slug: str):
    programme = policy.programme_or_404(current_user, slug)
    columns = [(stage, queries.column_cards(programme, stage)) for stage in Stage]
    return render_template("board/board.html", programme=programme, columns=columns)


@bp.get("/programmes/switch")
@login_required
def switch_programme():
    programme = policy.programme_or_404(current_user, request.args.get("slug", ""))
    return redirect(url_for("board.board", slug=programme.slug))
