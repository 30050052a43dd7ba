"""Read queries for the reminder pages, each in a fixed number of queries."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Innovation, Milestone, OutboxMessage, OutboxStatus, Programme

PAGE_SIZE = 50
SHOWN_STATUSES = (
    OutboxStatus.PENDING,
    OutboxStatus.SENDING,
    OutboxStatus.SENT,
    OutboxStatus.FAILED,
    OutboxStatus.VOID,
)


@dataclass
class OutboxPage:
    rows: list[OutboxMessage]
    innovations: dict[int, str]
    milestones: dict[int, str]
    counts: dict[str, int]
    next_before: int | None


def outbox_page(programme: Programme, status: str, before: int | None = None) -> OutboxPage:
    """Newest first, PAGE_SIZE at a time (keyset: ids below `before`)."""
    query = (
        select(OutboxMessage)
        .options(joinedload(OutboxMessage.recipient))
        .where(OutboxMessage.programme_id == programme.id, OutboxMessage.status == status)
        .order_by(OutboxMessage.id.desc())
        .limit(PAGE_SIZE + 1)
    )
    if before is not None:
        query = query.where(OutboxMessage.id < before)
    rows = list(db.session.scalars(query))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return OutboxPage(
        rows=rows,
        innovations=_titles(Innovation, {r.innovation_id for r in rows}),
        milestones=_titles(Milestone, {r.milestone_id for r in rows}),
        counts=outbox_counts(programme),
        next_before=rows[-1].id if more else None,
    )


def outbox_counts(programme: Programme) -> dict[str, int]:
    rows = db.session.execute(
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.programme_id == programme.id)
        .group_by(OutboxMessage.status)
    )
    counts = {status: count for status, count in rows}
    return {str(status): counts.get(status, 0) for status in SHOWN_STATUSES}


def _titles(model, ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    rows = db.session.execute(select(model.id, model.title).where(model.id.in_(ids)))
    return {id_: title for id_, title in rows}
