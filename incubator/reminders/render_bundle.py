"""Bundle emails: a person's milestone reminders of one day, or their notices about one
innovation, as one email in their language.

The daily email groups the milestones by programme and innovation, most urgent first
(the most days late, then due today, tomorrow, later); its subject names the count and
the first innovation. Counts ("3 days late", "due tomorrow") are as of the bundle's day.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import force_locale, ngettext
from sqlalchemy import and_, or_, select

from ..dates import format_date, zone_name
from ..extensions import db
from ..models import (
    Innovation,
    InnovationState,
    MentorAssignment,
    Milestone,
    OutboxMessage,
    Programme,
    ReminderKind,
    innovation_members,
)
from ..pipeline.reminder_rules import (
    DAILY_BUNDLE,
    ESCALATE_TO_MENTORS_AFTER_DAYS,
    NOTICE_BUNDLE,
)
from ..pipeline.zones import zone_or_default
from ..translating import gettext as _
from .batch import Batch, is_catch_up
from .competition import EntryLine, entry_lines
from .links import innovation_url
from .render import Content, compose, content_of, recipient_locale

K = ReminderKind


@dataclass
class Line:
    milestone: Milestone
    days: int  # until the due date, as of the bundle's day; negative when late
    status: str = ""
    due: str = ""
    url: str = ""


@dataclass
class InnovationGroup:
    innovation: Innovation
    url: str
    lines: list[Line] = field(default_factory=list)
    as_mentor: bool = False


@dataclass
class ProgrammeGroup:
    programme: Programme
    innovations: list[InnovationGroup] = field(default_factory=list)
    catch_up: bool = False


def build_bundle_email(bundle: OutboxMessage, items: list[OutboxMessage], batch: Batch):
    with force_locale(recipient_locale(bundle.recipient)):
        if bundle.kind == DAILY_BUNDLE:
            kinds = {m.kind for m in items}
            unsubscribe = kinds.pop() if len(kinds) == 1 else DAILY_BUNDLE
            return compose(bundle, _daily(bundle, items, batch), unsubscribe)
        if bundle.kind == NOTICE_BUNDLE:
            if len(items) == 1:  # one notice reads as it always did
                item = items[0]
                return compose(bundle, content_of(item, batch), item.kind, item.kind)
            kinds = {m.kind for m in items}
            unsubscribe = kinds.pop() if len(kinds) == 1 else NOTICE_BUNDLE
            return compose(bundle, _notices(bundle, items, batch), unsubscribe)
    raise ValueError(f"not a bundle: {bundle.kind!r}")


def status_text(days: int) -> str:
    if days < 0:
        return ngettext("%(num)d day late", "%(num)d days late", -days)
    if days == 0:
        return _("due today")
    if days == 1:
        return _("due tomorrow")
    return ngettext("due in %(num)d day", "due in %(num)d days", days)


def _daily(bundle: OutboxMessage, items: list[OutboxMessage], batch: Batch) -> Content:
    day: date = bundle.due_date
    recipient_id = bundle.recipient_id
    entries = entry_lines([m for m in items if m.kind == K.COMPETITION_DEADLINE], batch, day)
    items = [m for m in items if m.kind != K.COMPETITION_DEADLINE]
    found: dict[int, tuple[Milestone, Innovation]] = {}
    catch_up_programmes = set()
    for item in items:
        if is_catch_up(item):
            catch_up_programmes.add(item.programme_id)
            for milestone, innovation in _already_overdue(item):
                found.setdefault(milestone.id, (milestone, innovation))
        else:
            milestone = batch.milestones[item.milestone_id]
            found[milestone.id] = (milestone, batch.innovations[item.innovation_id])
    programmes = {p.id: p for p in batch.programmes.values()}
    missing = {i.programme_id for _, i in found.values()} - set(programmes)
    if missing:
        programmes.update(_by_id(Programme, missing))
    teams = _teams_of(recipient_id, {i.id for _, i in found.values()})

    groups: dict[int, ProgrammeGroup] = {}
    innovation_groups: dict[int, InnovationGroup] = {}
    ordered = sorted(found.values(), key=lambda pair: (pair[0].due_date, pair[1].title))
    for milestone, innovation in ordered:
        days = (milestone.due_date - day).days
        programme = programmes[innovation.programme_id]
        group = groups.get(programme.id)
        if group is None:
            group = groups[programme.id] = ProgrammeGroup(
                programme, catch_up=programme.id in catch_up_programmes
            )
        inner = innovation_groups.get(innovation.id)
        if inner is None:
            inner = innovation_groups[innovation.id] = InnovationGroup(
                innovation,
                innovation_url(innovation, programme),
                as_mentor=recipient_id not in teams.get(innovation.id, set()),
            )
            group.innovations.append(inner)
        inner.lines.append(
            Line(
                milestone,
                days,
                status_text(days),
                format_date(milestone.due_date),
                innovation_url(innovation, programme, milestone.id),
            )
        )
    count = len(found)
    first = groups and next(iter(groups.values())).innovations[0].innovation.title
    more = len(innovation_groups) > 1
    subject = ngettext(
        "%(num)d milestone needs attention: %(innovation)s",
        "%(num)d milestones need attention: %(innovation)s",
        count,
        innovation=first,
    ) + (", …" if more else "")
    zone = zone_or_default((bundle.context or {}).get("zone"))
    if entries and not count:
        subject, lead = _competition_subject(entries, day, zone)
    else:
        lead = _milestone_lead(count, day, zone)
    if entries and count:  # the competition must not hide behind the milestones
        subject += " · " + ngettext(
            "%(competition)s closes in %(num)d day",
            "%(competition)s closes in %(num)d days",
            entries[0].days,
            competition=entries[0].template.name,
        )
    return Content(
        subject=subject,
        template="daily_reminders",
        values={
            "lead": lead,
            "groups": list(groups.values()),
            "entries": entries,
            "programme": None,
            "mentor_after": ESCALATE_TO_MENTORS_AFTER_DAYS,
            "mentoring": any(g.as_mentor for g in innovation_groups.values()),
        },
    )


def _milestone_lead(count: int, day: date, zone: str) -> str:
    return ngettext(
        "%(num)d milestone needs your attention on %(date)s (%(zone)s), the most urgent first.",
        "%(num)d milestones need your attention on %(date)s (%(zone)s), the most urgent first.",
        count,
        date=format_date(day),
        zone=zone_name(zone),
    )


def _competition_subject(entries: list[EntryLine], day: date, zone: str) -> tuple[str, str]:
    """Subject and lead of a daily email that carries only competition reminders."""
    first = entries[0]
    if len(entries) == 1:
        subject = ngettext(
            "%(competition)s closes in %(num)d day: “%(innovation)s” is not ready",
            "%(competition)s closes in %(num)d days: “%(innovation)s” is not ready",
            first.days,
            competition=first.template.name,
            innovation=first.innovation.title,
        )
    else:
        subject = ngettext(
            "%(num)d competition entry is not ready",
            "%(num)d competition entries are not ready",
            len(entries),
        )
    lead = _(
        "As of %(date)s (%(zone)s), a competition closes soon and your entry still misses "
        "something. Here is what is missing.",
        date=format_date(day),
        zone=zone_name(zone),
    )
    return subject, lead


def _notices(bundle: OutboxMessage, items: list[OutboxMessage], batch: Batch) -> Content:
    innovation = batch.innovations[bundle.innovation_id]
    programme = batch.programmes[bundle.programme_id]
    entries = [content_of(item, batch) for item in items]
    subject = ngettext(
        "%(num)d update on “%(innovation)s”",
        "%(num)d updates on “%(innovation)s”",
        len(entries),
        innovation=innovation.title,
    )
    return Content(
        subject=subject,
        template="notices",
        values={
            "entries": entries,
            "innovation": innovation,
            "programme": programme,
            "item_url": innovation_url(innovation, programme),
        },
    )


def _already_overdue(item: OutboxMessage) -> list[tuple[Milestone, Innovation]]:
    """The quiet start: the programme's milestones overdue when its reminders started that
    concern this person (theirs, their innovations', or, long late, their mentees')."""
    started_on = item.due_date
    user_id = item.recipient_id
    team = select(innovation_members.c.innovation_id).where(innovation_members.c.user_id == user_id)
    mentees = select(MentorAssignment.innovation_id).where(
        MentorAssignment.mentor_id == user_id, MentorAssignment.unassigned_at.is_(None)
    )
    rows = db.session.execute(
        select(Milestone, Innovation)
        .join(Innovation, Innovation.id == Milestone.innovation_id)
        .where(
            Innovation.programme_id == item.programme_id,
            Innovation.state == InnovationState.ACTIVE,
            Innovation.is_proposal.is_(False),
            Milestone.done_at.is_(None),
            Milestone.due_date < started_on,
            or_(
                Milestone.owner_id == user_id,
                Innovation.owner_id == user_id,
                Innovation.id.in_(team),
                and_(
                    Innovation.id.in_(mentees),
                    Milestone.due_date < _days_before(started_on, ESCALATE_TO_MENTORS_AFTER_DAYS),
                ),
            ),
        )
        .order_by(Milestone.due_date, Milestone.id)
    )
    return [tuple(row) for row in rows]


def _days_before(day: date, days: int) -> date:
    return day - timedelta(days=days)


def _teams_of(user_id: int, innovation_ids: set[int]) -> dict[int, set[int]]:
    """For each innovation, the recipient's id when they own it or are on its team."""
    if not innovation_ids:
        return {}
    owned = db.session.scalars(
        select(Innovation.id).where(
            Innovation.id.in_(innovation_ids), Innovation.owner_id == user_id
        )
    )
    member = db.session.scalars(
        select(innovation_members.c.innovation_id).where(
            innovation_members.c.innovation_id.in_(innovation_ids),
            innovation_members.c.user_id == user_id,
        )
    )
    return {innovation_id: {user_id} for innovation_id in {*owned, *member}}


def _by_id(model, ids) -> dict:
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}
