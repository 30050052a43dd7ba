"""Reminder pages: a programme's rules and outbox, a user's settings, one-click unsubscribe."""

import re

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block
from sqlalchemy import select

from ..auth import policy
from ..auth.door import load_part, programme_view
from ..auth.policy import Action
from ..auth.profile import notifications_form, profile_form, render_profile
from ..errors import user_abort
from ..extensions import csrf, db
from ..form_errors import show_domain_error
from ..models import OutboxMessage, User
from ..numbers import query_id
from ..pipeline import Conflict, DomainError
from ..pipeline import reminders as operations
from ..pipeline.reminder_rules import is_kind, rules_for
from ..pipeline.tokens import TokenError
from ..security import token_in_url
from ..translating import gettext as _
from . import queries
from .account_mail import ACCOUNT_KINDS
from .batch import load_batch
from .forms import RuleForm
from .preview import email_of
from .rules import KIND_HELP, KIND_LABELS, kind_label
from .tokens import read_token

bp = Blueprint("reminders", __name__)


@bp.app_template_global()
def reminder_nav(programme) -> list[tuple[str, str]]:
    """Links to the reminder pages of `programme` that the current user may open.

    The membership is cached for the request, so asking costs no query on a page
    that has already come through the door; the linked page checks again.
    """
    links = []
    if current_user.is_authenticated and programme is not None:
        if policy.can(current_user, Action.MANAGE_PROGRAMME, programme):
            links.append((_("Reminders"), url_for("reminders.rules", slug=programme.slug)))
        if policy.can(current_user, Action.VIEW_OUTBOX, programme):
            links.append((_("Outbox"), url_for("reminders.outbox", slug=programme.slug)))
    return links


def _rule_forms(programme, posted: RuleForm | None = None) -> list[tuple]:
    rules = rules_for(programme.id)
    rows = []
    for kind, rule in rules.items():
        form = (
            posted
            if posted is not None and posted.kind == kind
            else RuleForm(kind, obj=rule, formdata=None)
        )
        rows.append((rule, form))
    return rows


def _rule_context(programme, rule, form, saved=False) -> dict:
    return {
        "programme": programme,
        "rule": rule,
        "form": form,
        "saved": saved,
        "label": KIND_LABELS[rule.kind],
        "help": KIND_HELP[rule.kind],
    }


@bp.get("/programmes/<slug>/settings/reminders")
@programme_view(Action.MANAGE_PROGRAMME)
def rules(programme):
    rows = _rule_forms(programme)
    db.session.commit()  # a programme without rules has just been given the defaults
    return render_template(
        "reminders/rules.html",
        programme=programme,
        rows=[_rule_context(programme, rule, form) for rule, form in rows],
    )


@bp.post("/programmes/<slug>/settings/reminders/<kind>")
@programme_view(Action.MANAGE_PROGRAMME)
def update_rule(programme, kind: str):
    if not is_kind(kind):
        user_abort(404, _("Unknown reminder kind."))
    form = RuleForm(kind)
    if form.validate_on_submit():
        try:
            rule = operations.update_rule(
                programme, kind, actor=current_user, enabled=form.enabled.data, **form.values()
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            if request.htmx:
                fresh = RuleForm(kind, obj=rule, formdata=None)
                context = _rule_context(programme, rule, fresh, saved=True)
                return render_block("reminders/rules.html", "rule", **context)
            flash(_("Reminder rule saved: %(kind)s.", kind=kind_label(kind)), "success")
            return redirect(url_for("reminders.rules", slug=programme.slug))
    rows = _rule_forms(programme, posted=form)
    if request.htmx:
        rule = next(rule for rule, _form in rows if rule.kind == kind)
        return render_block(
            "reminders/rules.html", "rule", **_rule_context(programme, rule, form)
        ), 422
    contexts = [_rule_context(programme, rule, f) for rule, f in rows]
    return render_template("reminders/rules.html", programme=programme, rows=contexts), 422


@bp.get("/programmes/<slug>/outbox")
@programme_view(Action.VIEW_OUTBOX)
def outbox(programme):
    status = request.args.get("status", "pending")
    if status not in queries.SHOWN_STATUSES:
        user_abort(400, _("Unknown status."))
    before = query_id("before")
    page = queries.outbox_page(programme, status, before)
    return render_template(
        "reminders/outbox.html",
        programme=programme,
        status=status,
        page=page,
        kind_label=kind_label,
        statuses=queries.SHOWN_STATUSES,
    )


SECRET_LINK = re.compile(r"https?://\S+")


@bp.get("/programmes/<slug>/outbox/<int:message_id>")
@programme_view(Action.VIEW_OUTBOX)
def message(programme, message_id: int):
    """One outbox message: status, attempts, and its text as the recipient gets it. A
    message carrying a secret link (an invitation, a password reset) is shown without
    its links, and every message without its one-click unsubscribe link."""
    message = load_part(OutboxMessage, message_id, programme_id=programme.id)
    batch = load_batch([message.id])
    message = batch.messages[0]
    secret = message.kind in ACCOUNT_KINDS
    subject = text = None
    try:
        email = email_of(message, batch)
    except Exception:  # e.g. its milestone was deleted: say so, show the rest
        current_app.logger.info("outbox message %s cannot be rendered", message.id, exc_info=True)
    else:
        hidden = "[" + _("link hidden") + "]"
        subject = email.subject
        text = email.body
        if secret:
            text = SECRET_LINK.sub(hidden, text)
        else:
            text = re.sub(r"https?://\S*/unsubscribe/\S+", hidden, text)
    return render_template(
        "reminders/message.html",
        programme=programme,
        message=message,
        subject=subject,
        text=text,
        secret=secret,
        kind_label=kind_label,
    )


@bp.post("/programmes/<slug>/outbox/<int:message_id>/retry")
@programme_view(Action.RETRY_MESSAGE)
def retry(programme, message_id: int):
    message = db.session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.id == message_id, OutboxMessage.programme_id == programme.id
        )
    )
    if message is None:
        user_abort(404, _("This message does not exist in this programme."))
    try:
        operations.retry_message(message, actor=current_user)
    except Conflict as error:
        db.session.rollback()
        user_abort(409, str(error.message))
    db.session.commit()
    flash(_("The message will be sent again within a minute."), "success")
    if request.htmx:
        return (
            "",
            200,
            {"HX-Redirect": url_for("reminders.outbox", slug=programme.slug, status="failed")},
        )
    return redirect(url_for("reminders.outbox", slug=programme.slug, status="failed"))


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def notifications():
    """Part of the profile page now; this address stays, every email links to it."""
    user = current_user._get_current_object()
    if request.method == "GET":
        return render_profile(details=profile_form(user), notifications=notifications_form(user))
    form = notifications_form(user, posted=True)
    if form.validate_on_submit():
        try:
            operations.set_notification_settings(
                user, timezone=form.timezone.data, enabled_kinds=form.kinds.data or []
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Your notification settings have been saved."), "success")
            return redirect(url_for("reminders.notifications"))
    return render_profile(details=profile_form(user), notifications=form, status=422)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@token_in_url
@csrf.exempt  # RFC 8058: mail clients POST without our token; the signed link is the proof
def unsubscribe(token: str):
    try:
        user_id, kind = read_token(token)
    except TokenError as error:
        if error.reason == "expired":
            user_abort(
                410,
                _("This unsubscribe link has expired. Use your notification settings instead."),
            )
        user_abort(
            400,
            _("This unsubscribe link is not valid. Use your notification settings instead."),
        )
    user = db.session.get(User, user_id)
    if request.method == "GET":
        return render_template(
            "reminders/unsubscribe.html", token=token, kind=kind_label(kind), done=False
        )
    operations.opt_out(user, kind)
    db.session.commit()
    current_app.logger.info("user %s unsubscribed from %s", user.id, kind)
    return render_template(
        "reminders/unsubscribe.html", token=token, kind=kind_label(kind), done=True
    )
