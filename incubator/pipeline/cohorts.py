"""A programme's starting set-up: default milestone templates, or the settings, mentors
and unfinished innovations of an earlier cohort."""

from sqlalchemy import select

from ..extensions import db
from ..models import (
    EventKind,
    Innovation,
    InnovationState,
    Membership,
    MentorAssignment,
    MilestoneTemplate,
    Programme,
    ReminderRule,
    Role,
    Stage,
    User,
    innovation_members,
    utcnow,
)
from . import activity
from .agencies import participant_ids, set_participants
from .events import record_event
from .regions import programme_region_ids, set_programme_regions
from .zones import programme_today

# An innovation in one of these states is unfinished: it may move on to the next cohort.
UNFINISHED = (InnovationState.ACTIVE, InnovationState.ON_HOLD)

# The milestone templates a new programme starts with (title, days after entering, required).
DEFAULT_TEMPLATES = {
    Stage.CREATION: [
        ("Rumusan masalah dan data dasar", 14, True),
        ("Rancangan inovasi dan rencana aksi", 30, True),
        ("Uji coba pertama dilaksanakan", 60, True),
        ("Umpan balik awal dari pengguna layanan", 75, False),
    ],
    Stage.DEVELOPMENT: [
        ("Perbaikan mutu layanan berdasarkan evaluasi", 45, True),
        ("Rencana diseminasi dan sosialisasi", 60, True),
        ("Replikasi di unit atau daerah lain", 120, False),
    ],
    Stage.INSTITUTIONALISATION: [
        ("Regulasi (Perkada/SK) ditetapkan", 90, True),
        ("Anggaran tersedia dalam DPA", 120, True),
        ("SOP layanan disahkan", 90, True),
    ],
}


def add_default_templates(programme: Programme) -> None:
    db.session.add_all(
        MilestoneTemplate(
            programme_id=programme.id,
            stage=stage,
            title=title,
            offset_days=offset,
            required=required,
            position=i,
        )
        for stage, rows in DEFAULT_TEMPLATES.items()
        for i, (title, offset, required) in enumerate(rows)
    )


def copy_settings(source: Programme, target: Programme, actor: User) -> None:
    templates = db.session.scalars(
        select(MilestoneTemplate).where(MilestoneTemplate.programme_id == source.id)
    )
    db.session.add_all(
        MilestoneTemplate(
            programme_id=target.id,
            stage=t.stage,
            title=t.title,
            description=t.description,
            offset_days=t.offset_days,
            required=t.required,
            position=t.position,
        )
        for t in templates
    )
    rules = db.session.scalars(select(ReminderRule).where(ReminderRule.programme_id == source.id))
    started_on = programme_today(target)
    db.session.add_all(
        ReminderRule(
            programme_id=target.id,
            kind=r.kind,
            enabled=r.enabled,
            offset_days=r.offset_days,
            repeat_every_days=r.repeat_every_days,
            max_repeats=r.max_repeats,
            send_hour=r.send_hour,
            weekday=r.weekday,
            started_on=started_on,  # a new programme: a quiet start
        )
        for r in rules
    )
    mentors = db.session.scalars(
        select(Membership.user_id).where(
            Membership.programme_id == source.id,
            Membership.role == Role.MENTOR,
            Membership.user_id != actor.id,
        )
    )
    _add_members(target, actor, {user_id: Role.MENTOR for user_id in mentors})
    _copy_places(source, target, actor)


def _copy_places(source: Programme, target: Programme, actor: User) -> None:
    """Ticked regencies and participating agencies, when the new cohort covers the same
    province (agencies elsewhere could not take part)."""
    if target.region_id is None or target.region_id != source.region_id:
        return
    set_programme_regions(target, programme_region_ids(source.id), actor=actor)
    set_participants(target, participant_ids(source.id), actor=actor)


def _add_members(programme: Programme, actor: User, roles: dict[int, Role]) -> None:
    """Add people who are not yet members, each with their role, and log it."""
    present = set(
        db.session.scalars(
            select(Membership.user_id).where(Membership.programme_id == programme.id)
        )
    )
    now = utcnow()
    names = dict(
        db.session.execute(select(User.id, User.name).where(User.id.in_(list(roles)))).all()
    )
    for user_id, role in roles.items():
        if user_id in present:
            continue
        db.session.add(
            Membership(
                programme_id=programme.id, user_id=user_id, role=role, created_at=now, joined_at=now
            )
        )
        record_event(
            programme.id,
            EventKind.MEMBER_ADDED,
            actor=actor,
            subject=user_id,
            role=str(role),
            name=names.get(user_id),
        )


def carry_over_innovations(source: Programme, target: Programme, *, actor: User) -> int:
    """Move the unfinished innovations of `source` into `target`, with all their history
    (stage, milestones, progress, feedback, mentors, timeline). Their owners, teams and
    mentors become members of `target` in the role they had in `source`."""
    innovations = list(
        db.session.scalars(
            select(Innovation)
            .where(Innovation.programme_id == source.id, Innovation.state.in_(UNFINISHED))
            .order_by(Innovation.id)
        )
    )
    if not innovations:
        return 0
    ids = [i.id for i in innovations]
    people = {i.owner_id for i in innovations if i.owner_id} | set(
        db.session.scalars(
            select(innovation_members.c.user_id).where(innovation_members.c.innovation_id.in_(ids))
        )
    )
    people |= set(
        db.session.scalars(
            select(MentorAssignment.mentor_id).where(
                MentorAssignment.innovation_id.in_(ids), MentorAssignment.unassigned_at.is_(None)
            )
        )
    )
    roles = dict(
        db.session.execute(
            select(Membership.user_id, Membership.role).where(
                Membership.programme_id == source.id, Membership.user_id.in_(people)
            )
        ).all()
    )
    _add_members(target, actor, {u: Role(r) for u, r in roles.items() if u != actor.id})
    for innovation in innovations:
        innovation.programme_id = target.id
        activity.record(
            "carried_over",
            actor=actor,
            programme_id=target.id,
            innovation_id=innovation.id,
            from_programme=source.name,
            to_programme=target.name,
        )
    details = {"count": len(ids), "innovation_ids": ids}
    record_event(
        target.id,
        EventKind.INNOVATIONS_CARRIED_OVER,
        actor=actor,
        from_programme=source.slug,
        **details,
    )
    record_event(
        source.id,
        EventKind.INNOVATIONS_CARRIED_OVER,
        actor=actor,
        to_programme=target.slug,
        **details,
    )
    db.session.flush()
    return len(ids)
