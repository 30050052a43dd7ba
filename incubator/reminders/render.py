"""Emails: subject and body in the recipient's language, plain text and HTML.

Every email names what it is about, links to it (BASE_URL), links to the
recipient's notification settings, and carries List-Unsubscribe and
List-Unsubscribe-Post headers with a signed one-click token (RFC 8058).
"""

from dataclasses import dataclass
from email.utils import formataddr
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_mailman import EmailMultiAlternatives

from .. import labels
from ..dates import format_date
from ..i18n import LANGUAGES
from ..models import OutboxMessage, ReminderKind, Role
from ..pipeline.memberships import role_in
from ..pipeline.rules import as_one_line
from ..translating import gettext as _
from .account_mail import ACCOUNT_KINDS, account_content
from .batch import Batch
from .digest import build_digest
from .links import absolute_url, innovation_url, settings_url, unsubscribe_url
from .rules import kind_label
from .tokens import make_token

K = ReminderKind


@dataclass
class Content:
    subject: str
    template: str
    values: dict


def recipient_locale(user) -> str:
    return user.locale if user.locale in LANGUAGES else current_app.config["BABEL_DEFAULT_LOCALE"]


def build_email(message: OutboxMessage, batch: Batch) -> EmailMultiAlternatives:
    locale = recipient_locale(message.recipient)
    with force_locale(locale):
        if message.kind in ACCOUNT_KINDS:
            # No unsubscribe: a reset or an invitation is asked for, not subscribed to.
            return compose(message, Content(*account_content(message, batch)), None)
        return compose(message, content_of(message, batch), message.kind)


def compose(
    message: OutboxMessage, content: Content, unsubscribe_kind: str | None, header_kind=None
) -> EmailMultiAlternatives:
    """The email for `message` (a single one or a bundle), inside the recipient's locale."""
    user = message.recipient
    locale = recipient_locale(user)
    extra = {}
    if unsubscribe_kind:
        extra = {
            "kind_label": kind_label(unsubscribe_kind),
            "settings_url": settings_url(),
            "unsubscribe_url": unsubscribe_url(make_token(user, unsubscribe_kind)),
        }
    values = {
        **content.values,
        **extra,
        "user": user,
        "subject": content.subject,
        "locale": locale,
    }
    text = _render(f"emails/{content.template}.txt", values)
    html = _render(f"emails/{content.template}.html", values)
    headers = {
        # The same id on a resend lets mail clients drop the duplicate.
        "Message-ID": f"<outbox-{message.id}@{_mail_domain()}>",
        "Auto-Submitted": "auto-generated",
        "Content-Language": locale,
        "X-Incubator-Kind": header_kind or message.kind,
    }
    if unsubscribe_kind:
        headers["List-Unsubscribe"] = f"<{values['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(
        subject=as_one_line(content.subject),
        body=text,
        to=[formataddr((as_one_line(user.name), user.email))],
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    return email


def _render(name: str, values: dict) -> str:
    # Straight from the Jinja environment: no request, so no page context processors.
    return current_app.jinja_env.get_template(name).render(values)


def _mail_domain() -> str:
    return urlsplit(current_app.config["BASE_URL"]).hostname or "incubator.local"


def content_of(message: OutboxMessage, batch: Batch) -> Content:
    if message.kind in (K.FEEDBACK, K.FEEDBACK_REPLY):
        return _feedback(message, batch)
    if message.kind == K.STAGE_MOVED:
        return _stage_moved(message, batch)
    if message.kind == K.MENTOR_ASSIGNED:
        return _mentor_assigned(message, batch)
    if message.kind == K.WEEKLY_DIGEST:
        return _weekly_digest(message, batch)
    raise ValueError(f"unknown kind {message.kind!r}")


def _stage_moved(message: OutboxMessage, batch: Batch) -> Content:
    transition = batch.transition(message)
    innovation = batch.innovations[message.innovation_id]
    programme = batch.programmes[message.programme_id]
    to_stage = labels.label(labels.STAGE_LABELS, transition.to_stage)
    actor = batch.users.get(transition.actor_id)
    return Content(
        subject=_(
            "“%(innovation)s” moved to %(stage)s", innovation=innovation.title, stage=to_stage
        ),
        template="stage_moved",
        values={
            "innovation": innovation,
            "programme": programme,
            "from_stage": labels.label(labels.STAGE_LABELS, transition.from_stage or ""),
            "to_stage": to_stage,
            "actor": actor,
            "reason": transition.reason,
            "item_url": innovation_url(innovation, programme),
        },
    )


def _mentor_assigned(message: OutboxMessage, batch: Batch) -> Content:
    assignment = batch.assignment(message)
    innovation = batch.innovations[message.innovation_id]
    programme = batch.programmes[message.programme_id]
    mentor = batch.users.get(assignment.mentor_id)
    is_mentor = message.recipient_id == assignment.mentor_id
    names = {
        "innovation": innovation.title,
        "programme": programme.name,
        "mentor": mentor.name if mentor else "?",
    }
    if is_mentor:
        subject = _("You now mentor “%(innovation)s”", **names)
        lead = _(
            "You have been assigned as a mentor of “%(innovation)s” in %(programme)s.", **names
        )
    else:
        subject = _("%(mentor)s now mentors “%(innovation)s”", **names)
        lead = _("%(mentor)s has been assigned as a mentor of “%(innovation)s”.", **names)
    return Content(
        subject=subject,
        template="mentor_assigned",
        values={
            "lead": lead,
            "innovation": innovation,
            "programme": programme,
            "mentor": mentor,
            "is_mentor": is_mentor,
            "item_url": innovation_url(innovation, programme),
        },
    )


def _weekly_digest(message: OutboxMessage, batch: Batch) -> Content:
    programme = batch.programmes[message.programme_id]
    digest = build_digest(message.recipient, programme, message.due_date)
    coordinator = role_in(message.recipient_id, programme.id) == Role.COORDINATOR
    return Content(
        subject=_("Weekly summary: %(programme)s", programme=programme.name),
        template="weekly_digest",
        values={
            "programme": programme,
            "digest": digest,
            "week_of": format_date(message.due_date),
            "is_coordinator": coordinator,
            "stage_label": lambda key: labels.label(labels.STAGE_LABELS, key),
            "format_date": format_date,
            "item_url": lambda innovation, milestone=None: innovation_url(
                innovation, programme, milestone.id if milestone else None
            ),
            "board_url": absolute_url("board.board", slug=programme.slug),
            # The full lists behind "and N more": the board's cards with overdue milestones
            # (a mentor's own), and a mentor's mentees by what needs attention first.
            "overdue_url": absolute_url(
                "board.board",
                slug=programme.slug,
                overdue=1,
                **({} if coordinator else {"mine": 1}),
            ),
            "soon_url": absolute_url("board.board", slug=programme.slug)
            if coordinator
            else absolute_url("mentoring.mentees"),
            "outbox_url": absolute_url("reminders.outbox", slug=programme.slug, status="failed"),
        },
    )


EXCERPT = 600


def _feedback(message: OutboxMessage, batch: Batch) -> Content:
    feedback = batch.feedback_of(message)
    innovation = batch.innovations[message.innovation_id]
    programme = batch.programmes[message.programme_id]
    author = batch.users.get(feedback.author_id)
    milestone = batch.milestones.get(feedback.milestone_id) if feedback.milestone_id else None
    names = {
        "author": author.name if author else _("Someone"),
        "innovation": innovation.title,
    }
    if message.kind == K.FEEDBACK_REPLY:
        subject = _("%(author)s replied to feedback on “%(innovation)s”", **names)
    else:
        subject = _("%(author)s wrote feedback on “%(innovation)s”", **names)
    body = feedback.body.strip()
    excerpt = body if len(body) <= EXCERPT else body[:EXCERPT].rsplit(" ", 1)[0] + " …"
    return Content(
        subject=subject,
        template="feedback",
        values={
            "lead": subject + ".",
            "excerpt": excerpt,
            "milestone": milestone,
            "innovation": innovation,
            "programme": programme,
            "item_url": absolute_url(
                "mentoring.show_feedback", feedback_id=feedback.parent_id or feedback.id
            ),
        },
    )
