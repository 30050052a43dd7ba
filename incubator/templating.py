"""Template globals and filters shared by every page."""

from functools import cached_property

from flask import Flask
from flask_babel import get_locale
from flask_login import current_user

from . import labels
from .models import Stage
from .translating import gettext as _


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        STAGES=list(Stage),
        stage_label=lambda key: labels.label(labels.STAGE_LABELS, key),
        state_label=lambda key: labels.label(labels.STATE_LABELS, key),
        role_label=lambda key: labels.label(labels.ROLE_LABELS, key),
        category_label=lambda key: labels.label(labels.CATEGORY_LABELS, key),
        document_kind_label=lambda key: labels.label(labels.DOCUMENT_KIND_LABELS, key),
        file_size=_file_size,
        spm_label=lambda key: labels.label(labels.SPM_LABELS, key) if key else "",
        sdg_label=lambda goal: str(labels.sdg_label(goal)),
        programme_permissions=_programme_permissions,
        my_roles=_my_roles,
        my_role_in=_my_role_in,
        dashboard_url=_dashboard_url,
    )

    app.jinja_env.filters["groupby_first"] = groupby_first

    @app.context_processor
    def _page_context():
        return {
            "current_locale": str(get_locale()),
            "nav_programmes": _nav_programmes,
            "words": CardWords(),
        }


def groupby_first(items, attribute: str) -> list[list]:
    """Items grouped by `attribute`, the groups in the order of their first item (Jinja's
    own groupby sorts them)."""
    groups: dict = {}
    for item in items:
        groups.setdefault(getattr(item, attribute), []).append(item)
    return list(groups.values())


class CardWords:
    """The board card's fixed words, translated once per page on first use rather than
    once per card (gettext per card was half the board's render time)."""

    @cached_property
    def overdue(self) -> str:
        return _("Overdue")

    @cached_property
    def move(self) -> str:
        return _("Move")

    @cached_property
    def owner(self) -> str:
        return _("Owner")

    @cached_property
    def mentor(self) -> str:
        return _("Mentor")

    @cached_property
    def next(self) -> str:
        return _("Next")

    @cached_property
    def done(self) -> str:
        # Hidden words after the card's visible "1/3": "1/3 milestones done in this stage".
        return _("milestones done in this stage")

    @cached_property
    def days(self) -> str:
        return _("days in stage")


def _nav_programmes():
    """The switcher's programmes (slug and name); a function so htmx fragments, which
    have no header, do not pay for them."""
    from .auth import policy

    return policy.open_memberships(current_user) if current_user.is_authenticated else []


def _programme_permissions(programme) -> set[str]:
    """What the current user may do in `programme`, as action names, for menus."""
    from .auth import policy

    return {str(a) for a in policy.programme_permissions(current_user, programme)}


def _my_roles() -> set[str]:
    """The roles the current user holds in any programme (read once per request)."""
    from .auth import policy

    if not current_user.is_authenticated:
        return set()
    return {str(m.role) for m in policy.memberships(current_user).values()}


def _my_role_in(programme) -> str | None:
    from .auth import policy

    if not current_user.is_authenticated or programme is None:
        return None
    role = policy.role_in(current_user, programme.id)
    return str(role) if role else None


def _file_size(size: int) -> str:
    """A document's size as people read it: 812 B, 34 KB, 2.5 MB."""
    from flask_babel import format_decimal

    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{format_decimal(round(size / (1024 * 1024), 1))} MB"


def _dashboard_url(programme=None) -> str | None:
    """The navigation's "Dashboard": this programme's, else the first one the person
    may see; None for someone who coordinates and mentors nowhere."""
    from flask import url_for

    from .auth import policy
    from .auth.policy import Action

    if not current_user.is_authenticated:
        return None
    if programme is not None and policy.can(current_user, Action.VIEW_DASHBOARD, programme):
        return url_for("reports.dashboard_page", slug=programme.slug)
    roles = {m.role for m in policy.memberships(current_user).values() if not m.archived}
    if roles & {"coordinator", "mentor"}:
        return url_for("reports.home")
    return None
