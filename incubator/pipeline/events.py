"""The programme event log: one entry per set-up or people change, with who and when."""

from ..extensions import db
from ..models import EventKind, ProgrammeEvent, User


def record_event(
    programme_id: int,
    kind: EventKind | str,
    *,
    actor: User | None,
    subject: User | int | None = None,
    **details,
) -> ProgrammeEvent:
    """Add an entry to the programme's event log; `details` must be JSON-serialisable.
    Never put a live invitation or reset link in `details`: the log is shown to others."""
    event = ProgrammeEvent(
        programme_id=programme_id,
        kind=str(kind),
        actor_id=actor.id if actor else None,
        subject_user_id=subject.id if isinstance(subject, User) else subject,
        details=details,
    )
    db.session.add(event)
    return event
