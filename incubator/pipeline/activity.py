"""Writing activity entries: the timeline of every innovation."""

from ..extensions import db
from ..models import ActivityEntry, User


def record(
    verb: str,
    *,
    actor: User | None,
    programme_id: int | None,
    innovation_id: int | None = None,
    **details,
) -> ActivityEntry:
    entry = ActivityEntry(
        verb=verb,
        actor_id=actor.id if actor else None,
        programme_id=programme_id,
        innovation_id=innovation_id,
        details=details,
    )
    db.session.add(entry)
    return entry
