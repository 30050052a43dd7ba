"""Review of a competition entry: mentors comment on a section and score it 1 to 5; the
team answers in the thread and marks comments resolved.

Comments thread as feedback does (replies nest once). Nothing here reaches the export.
The caller has checked the policy (REVIEW_ENTRY, REPLY_ENTRY_COMMENT, RESOLVE_ENTRY_COMMENT).
"""

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import (
    CompetitionEntry,
    EntrySection,
    EntrySectionComment,
    EntrySectionScore,
    Innovation,
    User,
    utcnow,
)
from ..translating import lazy_gettext as _l
from . import DomainError, activity
from .feedback import clean_body

SCORES = (1, 2, 3, 4, 5)


def _innovation_of(entry_section: EntrySection) -> Innovation:
    return db.session.scalar(
        select(Innovation)
        .join(CompetitionEntry, CompetitionEntry.innovation_id == Innovation.id)
        .where(CompetitionEntry.id == entry_section.entry_id)
    )


def _record(verb: str, actor: User, entry_section: EntrySection, **details) -> None:
    innovation = _innovation_of(entry_section)
    activity.record(
        verb,
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        entry_id=entry_section.entry_id,
        entry_section_id=entry_section.id,
        **details,
    )


def comment_on_section(
    entry_section: EntrySection, *, author: User, body: str
) -> EntrySectionComment:
    """A new comment on the section (Markdown, sanitised when shown)."""
    comment = EntrySectionComment(
        entry_section_id=entry_section.id, author_id=author.id, body=clean_body(body)
    )
    db.session.add(comment)
    db.session.flush()
    _record("entry_commented", author, entry_section, comment_id=comment.id)
    db.session.flush()
    return comment


def reply_to_comment(
    parent: EntrySectionComment, *, author: User, body: str
) -> EntrySectionComment:
    """A reply; a reply to a reply joins the same thread."""
    body = clean_body(body)
    reply = EntrySectionComment(
        entry_section_id=parent.entry_section_id,
        parent_id=parent.parent_id or parent.id,
        author_id=author.id,
        body=body,
    )
    db.session.add(reply)
    db.session.flush()
    section = db.session.get(EntrySection, parent.entry_section_id)
    _record("entry_comment_replied", author, section, comment_id=reply.id)
    db.session.flush()
    return reply


def resolve_comment(
    comment: EntrySectionComment, *, actor: User, resolved: bool = True
) -> EntrySectionComment:
    """The team marks a comment (a thread's first) resolved, or open again."""
    if comment.parent_id is not None:
        raise DomainError(_l("Only a thread's first comment is resolved."), field="comment")
    if resolved == (comment.resolved_at is not None):
        return comment
    comment.resolved_at = utcnow() if resolved else None
    comment.resolved_by_id = actor.id if resolved else None
    section = db.session.get(EntrySection, comment.entry_section_id)
    verb = "entry_comment_resolved" if resolved else "entry_comment_reopened"
    _record(verb, actor, section, comment_id=comment.id)
    db.session.flush()
    return comment


def score_section(
    entry_section: EntrySection, *, mentor: User, score: int | None
) -> EntrySectionScore | None:
    """The mentor's score for the section, 1 to 5 (one per mentor: a new score replaces the
    old); None takes it back."""
    if score is not None and score not in SCORES:
        raise DomainError(_l("Choose a score from 1 to 5."), field="score")
    row = db.session.scalar(
        select(EntrySectionScore).where(
            EntrySectionScore.entry_section_id == entry_section.id,
            EntrySectionScore.mentor_id == mentor.id,
        )
    )
    if score is None:
        if row is not None:
            db.session.delete(row)
            _record("entry_score_removed", mentor, entry_section)
            db.session.flush()
        return None
    if row is not None and row.score == score:
        return row
    if row is None:
        row = EntrySectionScore(entry_section_id=entry_section.id, mentor_id=mentor.id, score=score)
        db.session.add(row)
    else:
        row.score = score
        row.updated_at = utcnow()
    _record("entry_scored", mentor, entry_section, score=score)
    db.session.flush()
    return row


@dataclass(frozen=True)
class Estimate:
    """The weighted estimate of an entry from its mentors' scores."""

    score: float | None  # 1-5, weighted by the sections' weights; None when nothing scored
    scored_weight: int  # the weight (percent) of the sections with at least one score
    total_weight: int

    @property
    def percent(self) -> float | None:
        return None if self.score is None else self.score / 5 * 100


def weighted_estimate(weights: dict[int, int], scores: dict[int, list[int]]) -> Estimate:
    """`weights`: section weight by entry section id; `scores`: the mentors' scores by entry
    section id. Each section counts with the mean of its scores, weighted by its weight;
    sections of weight 0 (e.g. the summary) and unscored sections are left out."""
    total = sum(weights.values())
    weighted = 0.0
    scored_weight = 0
    for section_id, weight in weights.items():
        marks = scores.get(section_id) or []
        if weight <= 0 or not marks:
            continue
        weighted += weight * sum(marks) / len(marks)
        scored_weight += weight
    if not scored_weight:
        return Estimate(None, 0, total)
    return Estimate(round(weighted / scored_weight, 2), scored_weight, total)
