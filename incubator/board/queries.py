"""Read queries for the board: what the cards show, in a fixed number of queries."""

from sqlalchemy import select

from ..extensions import db
from ..models import Innovation, InnovationState, Programme, Stage


def column_cards(programme: Programme, stage: Stage, limit: int = 50) -> list[Innovation]:
    return list(
        db.session.scalars(
            select(Innovation)
            .where(
                Innovation.programme_id == programme.id,
                Innovation.stage == stage,
                Innovation.state == InnovationState.ACTIVE,
            )
            .order_by(Innovation.position, Innovation.id)
            .limit(limit)
        )
    )
