"""The `mentoring` blueprint and what its templates share with other pages.

The innovation page (another blueprint) includes `mentoring/_innovation_tab.html`
and `mentoring/_milestone_feedback.html`; the template globals below load their
data once per request and innovation, so a page with many milestones still runs
a fixed number of queries.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, g, request, url_for
from flask_login import current_user

from ..auth import policy
from ..models import Innovation, MentorAssignment, RapidAssessment
from ..redirects import safe_next
from . import markdown, queries
from .forms import EditFeedbackForm, FeedbackForm, ReplyForm
from .labels import CRITERION_HINTS, CRITERION_LABELS

bp = Blueprint("mentoring", __name__)


@bp.app_template_filter("markdown")
def _markdown(text: str | None):
    return markdown.render(text)


@bp.app_template_global()
def innovation_url(innovation_id: int) -> str:
    return url_for("innovations.detail", innovation_id=innovation_id)


@bp.app_template_global()
def mentoring_nav_visible() -> bool:
    return current_user.is_authenticated and policy.can(current_user, policy.Action.VIEW_MENTEES)


@bp.app_template_global()
def mentoring_feedback(innovation: Innovation) -> queries.FeedbackThreads:
    """The innovation's feedback as the current user sees it, loaded once per request."""
    cache = g.setdefault("mentoring_feedback", {})
    if innovation.id not in cache:
        cache[innovation.id] = queries.feedback_threads(innovation, current_user)
    return cache[innovation.id]


def reload_feedback(innovation: Innovation) -> queries.FeedbackThreads:
    """After a write: forget what this request loaded before it."""
    g.setdefault("mentoring_feedback", {}).pop(innovation.id, None)
    return mentoring_feedback(innovation)


@dataclass
class MentoringSummary:
    mentors: list[tuple[MentorAssignment, queries.MentorLoad]]
    latest_assessment: RapidAssessment | None
    can_assign: bool
    can_assess: bool


@bp.app_template_global()
def mentoring_summary(innovation: Innovation) -> MentoringSummary:
    """Mentors and the latest assessment, for the innovation page's mentoring tab."""
    cache = g.setdefault("mentoring_summary", {})
    if innovation.id not in cache:
        latest = queries.assessments_of(innovation.id, limit=1)
        cache[innovation.id] = MentoringSummary(
            mentors=queries.current_mentors(innovation.id),
            latest_assessment=latest[0] if latest else None,
            can_assign=policy.can(current_user, policy.Action.ASSIGN_MENTOR, innovation),
            can_assess=policy.can(current_user, policy.Action.RAPID_ASSESS, innovation),
        )
    return cache[innovation.id]


FORM_TYPES = {"new": FeedbackForm, "reply": ReplyForm, "edit": EditFeedbackForm}


def remember_form(key: str, form) -> None:
    """Keep a form that failed validation, so the template shows it with its errors."""
    g.setdefault("mentoring_forms", {})[key] = form


@bp.app_template_global()
def mentoring_form(key: str, body: str | None = None):
    """The failed form for `key` if this request has one, else an empty form.

    Keys: "new-innovation", "new-milestone-<id>", "reply-<id>", "edit-<id>".
    `formdata=None` keeps an empty form from picking up another form's POST.
    """
    failed = g.get("mentoring_forms", {}).get(key)
    if failed is not None:
        return failed
    form = FORM_TYPES[key.split("-", 1)[0]](formdata=None)
    form.body.data = body
    form.next.data = return_path()
    return form


@bp.app_template_global()
def return_path() -> str:
    """Where a browser without JavaScript comes back to after posting a form here."""
    if request.htmx:
        # The page the fragment lands in, not the fragment's own URL.
        parts = urlsplit(request.htmx.current_url or "")
        return safe_next(parts.path + (f"?{parts.query}" if parts.query else "")) or ""
    if request.method == "POST":
        return safe_next(request.form.get("next")) or ""
    return request.full_path.rstrip("?") if request.query_string else request.path


@bp.app_template_global()
def criterion_label(criterion: str) -> str:
    return str(CRITERION_LABELS.get(criterion, criterion))


@bp.app_template_global()
def criterion_hint(criterion: str) -> str:
    return str(CRITERION_HINTS.get(criterion, ""))
