"""Deliver: claim due messages, render each in its recipient's language, send, mark.

One mail connection is opened for the run and reused for every message. Each
message is marked as soon as the server answered, so a crash resends at most
one. SMTP 4xx replies and connection errors are transient (retried with
exponential backoff); 5xx replies are permanent (failed at once, never retried).
"""

import logging
import smtplib
from dataclasses import dataclass

from flask import current_app

from ..extensions import db, mail
from ..models import utcnow
from ..pipeline.reminder_rules import BUNDLE_KINDS
from . import bundles, outbox
from .batch import Batch, load_batch
from .render import build_email
from .render_bundle import build_bundle_email

log = logging.getLogger(__name__)


@dataclass
class DeliveryResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    voided: int = 0
    connections: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed + self.voided

    def __str__(self) -> str:
        return (
            f"sent {self.sent}, retrying {self.retrying}, failed {self.failed}, "
            f"voided {self.voided}"
        )


@dataclass
class Failure:
    transient: bool
    error: str
    # The connection is unusable: drop it, and open a new one for the next message.
    connection_lost: bool = False


class ConnectFailed(Exception):
    """The mail server could not be reached or refused us before any message."""


class Sender:
    """One mail connection, opened on first use and kept for the whole run."""

    def __init__(self):
        self.connection = None
        self.opened = 0

    def send(self, email) -> None:
        if self.connection is None:
            connection = mail.get_connection()
            try:
                connection.open()
            except Exception as error:
                raise ConnectFailed(str(error)) from error
            self.connection = connection
            self.opened += 1
        if self.connection.send_messages([email]) != 1:
            raise ValueError("the mail backend accepted no message (no recipient?)")

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # a dead connection may fail to say goodbye
                log.debug("closing the mail connection failed", exc_info=True)


def classify(error: Exception) -> Failure:
    if isinstance(error, ConnectFailed):
        return Failure(True, f"connect: {error}", connection_lost=True)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.values())
        text = "; ".join(f"{code} {_text(reply)}" for code, reply in answers)
        return Failure(all(400 <= code < 500 for code, _ in answers), text)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return Failure(True, f"disconnected: {error}", connection_lost=True)
    if isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
        # 421: the server is closing the connection.
        return Failure(
            not 500 <= code < 600, f"{code} {_text(error.smtp_error)}", connection_lost=code == 421
        )
    if isinstance(error, OSError):  # refused, reset, timed out, TLS
        return Failure(True, f"{type(error).__name__}: {error}", connection_lost=True)
    # Anything else (a bad address, a bug) will not get better by waiting.
    return Failure(False, f"{type(error).__name__}: {error}")


def _text(reply) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def deliver(
    *, limit: int | None = None, worker: str | None = None, batch_size: int | None = None
) -> DeliveryResult:
    """Send every due message (at most `limit`) and return what happened."""
    worker = worker or outbox.worker_id()
    batch_size = batch_size or outbox.setting("REMINDERS_BATCH_SIZE")
    result = DeliveryResult()
    sender = Sender()
    # A session of its own (whatever the caller holds) in which the loaded batch stays
    # readable across the commit that follows each message.
    with current_app.app_context():
        db.session().expire_on_commit = False
        try:
            while limit is None or result.handled < limit:
                size = batch_size if limit is None else min(batch_size, limit - result.handled)
                ids = outbox.claim(worker, size)
                if not ids or not _deliver_batch(ids, worker, sender, result):
                    break
        finally:
            sender.close()
            result.connections = sender.opened
    return result


def _deliver_batch(ids: list[int], worker: str, sender: Sender, result: DeliveryResult) -> bool:
    """Send one claimed batch; False when the mail server is unreachable (stop this run)."""
    batch = load_batch(ids)
    # Detached, the batch stays readable and each commit below does not walk through it.
    db.session.expunge_all()
    for index, message in enumerate(batch.messages):
        bundle = message.kind in BUNDLE_KINDS
        reason = batch.void_reason(message)
        items: list = []
        if not reason and bundle:
            items, item_batch = _take(message, worker)
            if not items:
                reason = "no_longer_due"
        if reason:
            outbox.void_claimed(message.id, worker, reason, bundle=bundle)
            result.voided += 1
            continue
        try:
            if bundle:
                email = build_bundle_email(message, items, item_batch)
            else:
                email = build_email(message, batch)
            sender.send(email)
        except Exception as error:
            failure = classify(error)
            log.warning(
                "outbox message %s not sent: %s",
                message.id,
                failure.error,
                exc_info=not isinstance(error, OSError | ConnectFailed),  # a bug: show where
            )
            if not failure.transient:
                outbox.mark_failed(message.id, worker, failure.error, bundle=bundle)
                result.failed += 1
            elif outbox.mark_retry(
                message.id, worker, message.attempts, failure.error, bundle=bundle
            ):
                result.retrying += 1
            else:  # that was the last attempt
                result.failed += 1
            if failure.connection_lost:
                sender.close()
            if isinstance(error, ConnectFailed):
                outbox.release([m.id for m in batch.messages[index + 1 :]], worker)
                return False
            continue
        outbox.mark_sent(message.id, worker, bundle=bundle)
        result.sent += 1
    return True


def _take(bundle, worker: str) -> tuple[list, Batch]:
    """The bundle's items that are still due; those that are not any more become void."""
    ids = bundles.take_items(bundle, utcnow())
    if not ids:
        return [], Batch(messages=[])
    item_batch = load_batch(ids)
    db.session.expunge_all()
    due, void = [], {}
    for item in item_batch.messages:
        reason = item_batch.void_reason(item)
        if reason:
            void.setdefault(reason, []).append(item.id)
        else:
            due.append(item)
    for reason, item_ids in void.items():
        outbox.void_items(item_ids, reason)
    return due, item_batch
