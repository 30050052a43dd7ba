"""Replication: a proven innovation copied as the start of a new one.

A coordinator starts it in Creation in a programme they coordinate; an innovator
proposes it through the usual proposal flow. Either way the copy names its original
(`replicates_id`), starts from its summary and problem, takes the milestones the
person ticked, and the original's owner and coordinators are told through the outbox.
"""

from sqlalchemy import select

from ..extensions import db
from ..models import (
    AccountMessageKind,
    Innovation,
    Membership,
    Milestone,
    OutboxMessage,
    Programme,
    Role,
    User,
    utcnow,
)
from ..translating import lazy_gettext as _l
from . import DomainError, activity
from .innovations import create_innovation, propose_innovation


def replication_targets(user: User) -> list[tuple[Programme, Role]]:
    """Where `user` may start a replication: programmes (not archived) they coordinate
    or take part in as an innovator, by name."""
    rows = db.session.execute(
        select(Programme, Membership.role)
        .join(Membership, Membership.programme_id == Programme.id)
        .where(
            Membership.user_id == user.id,
            Membership.role.in_([Role.COORDINATOR, Role.INNOVATOR]),
            Programme.archived.is_(False),
        )
        .order_by(Programme.name)
    ).all()
    return [(programme, Role(role)) for programme, role in rows]


def replicate(
    original: Innovation,
    actor: User,
    programme_id: int,
    *,
    title: str,
    milestone_ids=(),
) -> Innovation:
    targets = {p.id: (p, role) for p, role in replication_targets(actor)}
    if programme_id not in targets:
        raise DomainError(_l("Choose one of your programmes."), field="programme_id")
    programme, role = targets[programme_id]
    fields = {
        "title": title,
        "summary": original.summary,
        "problem": original.problem,
        "category": original.category,
        "is_digital": original.is_digital,
        "replicates_id": original.id,
    }
    if role == Role.COORDINATOR:
        innovation = create_innovation(programme, actor, **fields)
    else:
        innovation = propose_innovation(programme, actor, team_ids=[actor.id], **fields)
    wanted = {int(i) for i in milestone_ids}
    copied = [
        m
        for m in db.session.scalars(
            select(Milestone)
            .where(Milestone.innovation_id == original.id)
            .order_by(Milestone.stage, Milestone.id)
        )
        if m.id in wanted
    ]
    existing = {
        (m.stage, m.title)
        for m in db.session.scalars(
            select(Milestone).where(Milestone.innovation_id == innovation.id)
        )
    }
    for milestone in copied:
        if (milestone.stage, milestone.title) in existing:
            continue  # the programme's own template made it already
        db.session.add(
            Milestone(
                innovation_id=innovation.id,
                stage=milestone.stage,
                title=milestone.title,
                description=milestone.description,
                required=False,
            )
        )
    activity.record(
        "innovation_replicated",
        actor=actor,
        programme_id=original.programme_id,
        innovation_id=original.id,
        copy_id=innovation.id,
    )
    _notify(original, innovation, actor, programme)
    db.session.flush()
    return innovation


def _notify(original: Innovation, copy: Innovation, actor: User, programme: Programme) -> None:
    """One notice to the original's owner and each of its programme's coordinators."""
    coordinators = set(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.programme_id == original.programme_id,
                Membership.role == Role.COORDINATOR,
            )
        )
    )
    recipients = coordinators | ({original.owner_id} if original.owner_id else set())
    recipients.discard(actor.id)
    now = utcnow()
    for user_id in sorted(recipients):
        db.session.add(
            OutboxMessage(
                dedupe_key=f"replicated:{copy.id}:{user_id}",
                kind=AccountMessageKind.REPLICATED,
                recipient_id=user_id,
                programme_id=original.programme_id,
                innovation_id=original.id,
                context={
                    "original_id": original.id,
                    "original": original.title,
                    "copy": copy.title,
                    "programme": programme.name,
                },
                next_attempt_at=now,
                created_at=now,
            )
        )
