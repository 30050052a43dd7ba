"""Publishing an innovation in the public catalogue: the coordinator publishes, the
owner agrees; both are kept with who and when, and either withdrawing takes it off at
once (the catalogue shows only innovations with both)."""

from ..extensions import db
from ..models import Innovation, InnovationState, User, utcnow
from ..translating import lazy_gettext as _l
from . import DomainError, activity


def publish(innovation: Innovation, actor: User) -> None:
    if innovation.is_proposal:
        raise DomainError(_l("A proposal cannot be published."))
    if innovation.published_at is not None:
        return
    innovation.published_at = utcnow()
    innovation.published_by_id = actor.id
    _record("catalogue_published", innovation, actor)


def withdraw_publication(innovation: Innovation, actor: User) -> None:
    if innovation.published_at is None:
        return
    innovation.published_at = None
    innovation.published_by_id = None
    _record("catalogue_withdrawn", innovation, actor)


def consent(innovation: Innovation, actor: User) -> None:
    if innovation.is_proposal:
        raise DomainError(_l("A proposal cannot be published."))
    if innovation.consent_at is not None:
        return
    innovation.consent_at = utcnow()
    innovation.consent_by_id = actor.id
    _record("catalogue_consented", innovation, actor)


def withdraw_consent(innovation: Innovation, actor: User) -> None:
    if innovation.consent_at is None:
        return
    innovation.consent_at = None
    innovation.consent_by_id = None
    _record("catalogue_consent_withdrawn", innovation, actor)


def is_suggested(innovation: Innovation) -> bool:
    """Institutionalised and not yet published: proposed to its coordinators."""
    return innovation.state == InnovationState.INSTITUTIONALISED and innovation.published_at is None


def _record(verb: str, innovation: Innovation, actor: User) -> None:
    activity.record(
        verb, actor=actor, programme_id=innovation.programme_id, innovation_id=innovation.id
    )
    db.session.flush()
