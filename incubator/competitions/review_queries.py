"""What the entry page shows of the review: per section the comment threads and the
mentors' scores, and the weighted estimate, loaded in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..auth import policy
from ..auth.policy import Action
from ..extensions import db
from ..models import (
    CompetitionEntry,
    CompetitionSection,
    EntrySection,
    EntrySectionComment,
    EntrySectionScore,
    Innovation,
    User,
)
from ..pipeline.entry_review import Estimate, weighted_estimate


@dataclass
class EntryReview:
    comments: dict[int, list[EntrySectionComment]] = field(default_factory=dict)  # roots
    replies: dict[int, list[EntrySectionComment]] = field(default_factory=dict)
    scores: dict[int, list[EntrySectionScore]] = field(default_factory=dict)
    mine: dict[int, int] = field(default_factory=dict)  # the reader's own score by section
    estimate: Estimate | None = None
    can_review: bool = False
    can_reply: bool = False
    can_resolve: bool = False

    def threads(self, entry_section_id: int) -> list[EntrySectionComment]:
        return self.comments.get(entry_section_id, [])

    def replies_to(self, comment_id: int) -> list[EntrySectionComment]:
        return self.replies.get(comment_id, [])

    def scores_of(self, entry_section_id: int) -> list[EntrySectionScore]:
        return self.scores.get(entry_section_id, [])

    def mean(self, entry_section_id: int) -> float | None:
        marks = [s.score for s in self.scores_of(entry_section_id)]
        return round(sum(marks) / len(marks), 1) if marks else None

    def open_count(self, entry_section_id: int) -> int:
        return sum(1 for c in self.threads(entry_section_id) if c.resolved_at is None)


def entry_review(entry: CompetitionEntry, innovation: Innovation, user: User) -> EntryReview:
    review = EntryReview(
        can_review=policy.can(user, Action.REVIEW_ENTRY, innovation),
        can_reply=policy.can(user, Action.REPLY_ENTRY_COMMENT, innovation),
        can_resolve=policy.can(user, Action.RESOLVE_ENTRY_COMMENT, innovation),
    )
    weights = dict(
        db.session.execute(
            select(EntrySection.id, CompetitionSection.weight)
            .join(CompetitionSection, CompetitionSection.id == EntrySection.section_id)
            .where(EntrySection.entry_id == entry.id)
        ).all()
    )
    comments = db.session.scalars(
        select(EntrySectionComment)
        .options(joinedload(EntrySectionComment.author))
        .join(EntrySection, EntrySection.id == EntrySectionComment.entry_section_id)
        .where(EntrySection.entry_id == entry.id)
        .order_by(EntrySectionComment.created_at, EntrySectionComment.id)
    ).all()
    roots: dict[int, list] = defaultdict(list)
    replies: dict[int, list] = defaultdict(list)
    for comment in comments:
        if comment.parent_id is None:
            roots[comment.entry_section_id].append(comment)
        else:
            replies[comment.parent_id].append(comment)
    review.comments, review.replies = dict(roots), dict(replies)
    scores = db.session.scalars(
        select(EntrySectionScore)
        .options(joinedload(EntrySectionScore.mentor))
        .where(EntrySectionScore.entry_section_id.in_(list(weights)))
        .order_by(EntrySectionScore.id)
    ).all()
    by_section: dict[int, list] = defaultdict(list)
    for score in scores:
        by_section[score.entry_section_id].append(score)
        if score.mentor_id == user.id:
            review.mine[score.entry_section_id] = score.score
    review.scores = dict(by_section)
    review.estimate = weighted_estimate(
        weights, {sid: [s.score for s in rows] for sid, rows in by_section.items()}
    )
    return review
