"""An outbox message as its recipient reads it, for the coordinator's outbox page.

A milestone reminder is not an email of its own: it goes out inside the recipient's
daily email, so it is shown as that email holding this one item.
"""

from datetime import UTC
from zoneinfo import ZoneInfo

from flask_mailman import EmailMultiAlternatives
from sqlalchemy import select

from ..extensions import db
from ..models import OutboxMessage
from ..pipeline.reminder_rules import BUNDLE_KINDS, DAILY_BUNDLE, DAILY_KINDS
from ..pipeline.zones import zone_or_default
from .batch import Batch, load_batch
from .render import build_email
from .render_bundle import build_bundle_email


def email_of(message: OutboxMessage, batch: Batch) -> EmailMultiAlternatives:
    if message.kind in BUNDLE_KINDS:
        ids = db.session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.bundle_id == message.id)
        ).all()
        items = load_batch(list(ids))
        return build_bundle_email(message, items.messages, items)
    if message.kind in DAILY_KINDS:
        return build_bundle_email(_daily_bundle_for(message, batch), [message], batch)
    return build_email(message, batch)


def _daily_bundle_for(item: OutboxMessage, batch: Batch) -> OutboxMessage:
    programme = batch.programmes.get(item.programme_id)
    zone = zone_or_default(item.recipient.timezone, programme.timezone if programme else None)
    send_at = item.next_attempt_at
    send_at = send_at if send_at.tzinfo else send_at.replace(tzinfo=UTC)
    bundle = OutboxMessage(
        kind=DAILY_BUNDLE,
        recipient_id=item.recipient_id,
        due_date=send_at.astimezone(ZoneInfo(zone)).date(),
        context={"zone": zone},
    )
    bundle.recipient = item.recipient
    if bundle in db.session:  # a picture of the email, never a row
        db.session.expunge(bundle)
    return bundle
