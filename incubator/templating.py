"""Template globals and filters shared by every page."""

from flask import Flask
from flask_babel import get_locale
from flask_login import current_user

from . import labels
from .models import Stage


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        STAGES=list(Stage),
        stage_label=lambda key: labels.label(labels.STAGE_LABELS, key),
        state_label=lambda key: labels.label(labels.STATE_LABELS, key),
        role_label=lambda key: labels.label(labels.ROLE_LABELS, key),
        category_label=lambda key: labels.label(labels.CATEGORY_LABELS, key),
        spm_label=lambda key: labels.label(labels.SPM_LABELS, key) if key else "",
        sdg_label=lambda goal: str(labels.sdg_label(goal)),
        programme_permissions=_programme_permissions,
        my_roles=_my_roles,
        my_role_in=_my_role_in,
        dashboard_url=_dashboard_url,
    )

    @app.context_processor
    def _page_context():
        return {
            "current_locale": str(get_locale()),
            "nav_programmes": _nav_programmes,
        }


def _nav_programmes():
    """The switcher's programmes; a function so htmx fragments, which have no
    header, do not pay for the query."""
    from .auth import policy

    return policy.visible_programmes(current_user) if current_user.is_authenticated else []


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
