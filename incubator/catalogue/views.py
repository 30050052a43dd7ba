"""The public catalogue at /katalog: no login, only published innovations."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth import policy
from ..auth.policy import Action
from ..models import Category
from . import queries
from .filters import read_filters, spm_options

bp = Blueprint("catalogue", __name__)


@bp.app_template_global()
def catalogue_ref(innovation) -> str:
    return queries.catalogue_ref(innovation)


def absolute(path: str) -> str:
    return current_app.config["BASE_URL"] + path


@bp.get("/katalog")
def index():
    filters = read_filters(request.args)
    listing = queries.search(filters)
    return render_template(
        "catalogue/index.html",
        filters=filters,
        listing=listing,
        regions=queries.region_options(),
        categories=list(Category),
        spm_sectors=spm_options(),
        canonical=absolute(url_for("catalogue.index")),
    )


@bp.get("/katalog/<ref>")
def detail(ref: str):
    """404 for an unknown or unpublished innovation (its existence is private too);
    an old or missing title slug redirects to the current URL."""
    innovation = queries.public_innovation_by_ref(ref)
    if innovation is None:
        abort(404)
    canonical_ref = queries.catalogue_ref(innovation)
    if ref != canonical_ref:
        return redirect(url_for("catalogue.detail", ref=canonical_ref), 301)
    page = queries.public_page(innovation)
    return render_template(
        "catalogue/detail.html",
        page=page,
        innovation=innovation,
        canonical=absolute(url_for("catalogue.detail", ref=canonical_ref)),
        can_replicate=policy.can(current_user, Action.REPLICATE),
    )


@bp.get("/sitemap.xml")
def sitemap():
    rows = queries.sitemap_rows()
    entries = [(absolute(url_for("catalogue.index")), None)] + [
        (
            absolute(url_for("catalogue.detail", ref=_ref(rid, title))),
            updated.date().isoformat() if updated else None,
        )
        for rid, title, updated in rows
    ]
    body = render_template("catalogue/sitemap.xml", entries=entries)
    return current_app.response_class(body, mimetype="application/xml")


def _ref(innovation_id: int, title: str) -> str:
    slug = queries.slugify(title)
    return f"{innovation_id}-{slug}" if slug else str(innovation_id)
