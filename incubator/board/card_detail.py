"""The card's side panel: its summary, team, milestones by stage, and stage history."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Innovation, Milestone, Stage, StageTransition, User, innovation_members
from .queries import Card, card


@dataclass
class CardDetail:
    innovation: Innovation  # the whole row: the panel shows more than a card
    card: Card
    team: list[User]
    milestones: list[tuple[Stage, list[Milestone]]]
    history: list[StageTransition]


def card_detail(innovation: Innovation, today: date, now: datetime) -> CardDetail:
    summary = card(innovation.id, today, now)
    team = list(
        db.session.scalars(
            select(User)
            .join(innovation_members, innovation_members.c.user_id == User.id)
            .where(innovation_members.c.innovation_id == innovation.id)
            .order_by(User.name)
        )
    )
    by_stage: dict[str, list[Milestone]] = defaultdict(list)
    for milestone in db.session.scalars(
        select(Milestone)
        .where(Milestone.innovation_id == innovation.id)
        .order_by(Milestone.due_date.is_(None), Milestone.due_date, Milestone.id)
    ):
        by_stage[milestone.stage].append(milestone)
    history = list(
        db.session.scalars(
            select(StageTransition)
            .where(StageTransition.innovation_id == innovation.id)
            .options(joinedload(StageTransition.actor))
            .order_by(StageTransition.created_at.desc(), StageTransition.id.desc())
        )
    )
    milestones = [(stage, by_stage[stage]) for stage in Stage if by_stage.get(stage)]
    return CardDetail(innovation, summary, team, milestones, history)
