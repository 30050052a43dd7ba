"""Card order within a column: integer positions with gaps.

A move writes one row: the moved card takes a position between its new
neighbours. Only when two neighbours leave no gap is the column renumbered.
"""

from sqlalchemy import func, select

from ..extensions import db
from ..models import Innovation

GAP = 1024


def position_at_end(programme_id: int, stage: str) -> int:
    """A position after every card in the column (new cards go to the bottom)."""
    last = db.session.scalar(
        select(func.max(Innovation.position)).where(
            Innovation.programme_id == programme_id, Innovation.stage == stage
        )
    )
    return (last or 0) + GAP
