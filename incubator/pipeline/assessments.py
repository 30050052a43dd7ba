"""Rapid assessments (kaji cepat): a mentor scores the five criteria, 1-5 with notes."""

from collections.abc import Mapping

from ..extensions import db
from ..models import ASSESSMENT_CRITERIA, Innovation, RapidAssessment, User
from ..translating import lazy_gettext as _l
from . import DomainError, activity

SCORE_MIN, SCORE_MAX = 1, 5
NOTE_MAX = 2000


def record_rapid_assessment(
    innovation: Innovation,
    *,
    mentor: User,
    scores: Mapping[str, int],
    notes: Mapping[str, str] | None = None,
) -> RapidAssessment:
    """Keep a new assessment; earlier ones stay as the history."""
    notes = notes or {}
    values = {}
    for criterion in ASSESSMENT_CRITERIA:
        score = scores.get(criterion)
        if type(score) is not int or not SCORE_MIN <= score <= SCORE_MAX:
            raise DomainError(
                _l("Choose a score from %(min)d to %(max)d.", min=SCORE_MIN, max=SCORE_MAX),
                field=criterion,
            )
        note = (notes.get(criterion) or "").strip()
        if len(note) > NOTE_MAX:
            raise DomainError(
                _l("Keep it under %(max)d characters.", max=NOTE_MAX),
                field=f"{criterion}_note",
            )
        values[criterion] = score
        values[f"{criterion}_note"] = note
    assessment = RapidAssessment(innovation_id=innovation.id, mentor_id=mentor.id, **values)
    db.session.add(assessment)
    db.session.flush()
    activity.record(
        "rapid_assessment_recorded",
        actor=mentor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        assessment_id=assessment.id,
        scores={c: values[c] for c in ASSESSMENT_CRITERIA},
        total=assessment.total,
    )
    db.session.flush()
    return assessment
