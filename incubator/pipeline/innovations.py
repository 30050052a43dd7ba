"""Innovation operations: register, propose, decide, edit, change state."""

from sqlalchemy import delete, insert, or_, select

from ..extensions import db
from ..models import (
    SDG_GOALS,
    Agency,
    Category,
    Innovation,
    InnovationState,
    Membership,
    Programme,
    Role,
    SpmSector,
    Stage,
    StageTransition,
    User,
    innovation_members,
    innovation_sdgs,
    sdg_goals,
    team_member_ids,
    utcnow,
)
from ..translating import lazy_gettext as _l
from . import Conflict, DomainError, activity
from .agencies import participants_query
from .milestones import create_from_templates
from .ordering import position_at_end
from .rules import NOTE_MAX, clean_links, clean_text, clean_title
from .zones import programme_today

# What a profile form may change; `team` is handled beside them.
PROFILE_FIELDS = (
    "title",
    "summary",
    "problem",
    "results",
    "category",
    "is_digital",
    "links",
    "agency_id",
    "owner_id",
    "replicates_id",
    "spm_sector",
)
# States a person may put an innovation in; `institutionalised` comes from the last stage gate.
SETTABLE_STATES = (InnovationState.ACTIVE, InnovationState.ON_HOLD, InnovationState.DROPPED)


def create_innovation(programme: Programme, actor: User, *, team_ids=(), **fields) -> Innovation:
    """A coordinator registers an innovation: it enters Creation with its templates."""
    innovation = _new_innovation(programme, actor, team_ids, fields, is_proposal=False)
    create_from_templates(innovation, Stage.CREATION, programme_today(programme))
    db.session.flush()
    return innovation


def propose_innovation(programme: Programme, actor: User, *, team_ids=(), **fields) -> Innovation:
    """An innovator proposes an innovation they own; it waits in Creation for a decision."""
    fields["owner_id"] = actor.id
    innovation = _new_innovation(programme, actor, team_ids, fields, is_proposal=True)
    db.session.flush()
    return innovation


def accept_proposal(innovation: Innovation, actor: User) -> None:
    """The programme takes the proposal on: it gets the Creation milestones from today."""
    if not innovation.is_proposal:
        raise Conflict(_l("This proposal has already been accepted."))
    programme = db.session.get(Programme, innovation.programme_id)
    was_dropped = innovation.state != InnovationState.ACTIVE
    innovation.is_proposal = False
    innovation.state = InnovationState.ACTIVE
    if was_dropped:  # a declined proposal comes back to the bottom of its column
        innovation.position = position_at_end(innovation.programme_id, innovation.stage)
    create_from_templates(innovation, innovation.stage, programme_today(programme))
    activity.record(
        "proposal_accepted",
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
    )
    db.session.flush()


def decline_proposal(innovation: Innovation, actor: User, reason: str) -> None:
    if not innovation.is_proposal or innovation.state != InnovationState.ACTIVE:
        raise Conflict(_l("This proposal has already been decided."))
    reason = clean_text(reason, "reason", NOTE_MAX)
    if not reason:
        raise DomainError(_l("Say why the proposal is declined."), field="reason")
    innovation.state = InnovationState.DROPPED
    activity.record(
        "proposal_declined",
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        reason=reason,
    )
    db.session.flush()


def edit_innovation(
    innovation: Innovation,
    actor: User,
    *,
    expected_version: int | None = None,
    team_ids=None,
    **fields,
) -> list[str]:
    """Change the profile; returns the names of the fields that changed."""
    if expected_version is not None and expected_version != innovation.version:
        raise Conflict(_l("Someone else changed this innovation. Reload and try again."))
    sdgs = _clean_sdgs(fields.pop("sdgs", None))
    values = _clean_profile(innovation.programme_id, fields, current=innovation)
    changed = [name for name, value in values.items() if getattr(innovation, name) != value]
    if sdgs is not None and sdgs != sdg_goals(innovation.id):
        changed.append("sdgs")
    owner_id = values.get("owner_id", innovation.owner_id)
    current_team = team_member_ids(innovation.id)
    new_team = set(current_team if team_ids is None else {int(i) for i in team_ids})
    if owner_id is not None:
        new_team.add(owner_id)  # the owner is always on the team
    # Only newcomers are checked: someone who left the programme may stay listed.
    _check_innovators(innovation.programme_id, new_team - current_team, field="team")
    if new_team != current_team:
        changed.append("team")
    if not changed:
        return []
    for name, value in values.items():
        setattr(innovation, name, value)
    if new_team != current_team:
        _set_team(innovation.id, new_team)
    if "sdgs" in changed:
        _set_sdgs(innovation.id, sdgs)
    if new_team != current_team or "sdgs" in changed:
        innovation.updated_at = utcnow()  # bumps the version even when only these changed
    activity.record(
        "innovation_edited",
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        fields=changed,
    )
    db.session.flush()
    return changed


def change_state(innovation: Innovation, actor: User, to_state: str, reason: str = "") -> None:
    """Put on hold, drop or reactivate. Dropping needs a reason."""
    if to_state not in set(SETTABLE_STATES):
        raise DomainError(_l("Choose a valid state."), field="state")
    if innovation.is_proposal:
        raise DomainError(_l("Accept or decline the proposal first."), field="state")
    current = innovation.state
    if current == InnovationState.INSTITUTIONALISED:
        raise DomainError(_l("An institutionalised innovation keeps its state."), field="state")
    if current == to_state:
        raise Conflict(_l("The innovation is already in this state."))
    reason = clean_text(reason, "reason", NOTE_MAX)
    if to_state == InnovationState.DROPPED and not reason:
        raise DomainError(_l("Say why the innovation is dropped."), field="reason")
    if to_state == InnovationState.ACTIVE:  # back on the board, at the bottom of its column
        innovation.position = position_at_end(innovation.programme_id, innovation.stage)
    innovation.state = to_state
    activity.record(
        "state_changed",
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        from_state=current,
        to_state=to_state,
        reason=reason,
    )
    db.session.flush()


# -- helpers ---------------------------------------------------------------------------


def _new_innovation(programme, actor, team_ids, fields, *, is_proposal: bool) -> Innovation:
    """The card at the bottom of Creation, its team, first transition and activity entry."""
    sdgs = _clean_sdgs(fields.pop("sdgs", None)) or []
    values = _clean_profile(programme.id, fields)
    team = _check_team(programme.id, team_ids, values.get("owner_id"))
    innovation = Innovation(
        programme_id=programme.id,
        stage=Stage.CREATION,
        state=InnovationState.ACTIVE,
        is_proposal=is_proposal,
        position=position_at_end(programme.id, Stage.CREATION),
        **values,
    )
    db.session.add(innovation)
    db.session.flush()
    _set_team(innovation.id, team)
    _set_sdgs(innovation.id, sdgs)
    db.session.add(
        StageTransition(
            innovation_id=innovation.id,
            from_stage=None,
            to_stage=Stage.CREATION,
            actor_id=actor.id,
        )
    )
    activity.record(
        "innovation_proposed" if is_proposal else "innovation_created",
        actor=actor,
        programme_id=programme.id,
        innovation_id=innovation.id,
        title=innovation.title,
    )
    return innovation


def _clean_profile(programme_id: int, fields: dict, current: Innovation | None = None) -> dict:
    """Trimmed, checked values; references are checked only when they change."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown innovation fields: {sorted(unknown)}")
    values = dict(fields)
    if "title" in values:
        values["title"] = clean_title(values["title"])
    for name in ("summary", "problem", "results"):
        if name in values:
            values[name] = clean_text(values[name], name)
    if "category" in values and values["category"] not in set(Category):
        raise DomainError(_l("Choose a valid category."), field="category")
    if "spm_sector" in values:
        values["spm_sector"] = values["spm_sector"] or None
        if values["spm_sector"] is not None and values["spm_sector"] not in set(SpmSector):
            raise DomainError(_l("Choose a valid SPM sector."), field="spm_sector")
    if "is_digital" in values:
        values["is_digital"] = bool(values["is_digital"])
    if "links" in values:
        values["links"] = clean_links(values["links"])

    def changes(name: str) -> bool:
        value = values.get(name)
        return value is not None and (current is None or getattr(current, name) != value)

    if changes("agency_id"):
        _check_agency(programme_id, values["agency_id"])
    if changes("owner_id"):
        _check_innovators(programme_id, {values["owner_id"]}, field="owner_id")
    if changes("replicates_id"):
        _check_replicates(programme_id, values["replicates_id"], current.id if current else None)
    return values


def agencies_query(programme_id: int):
    """The agencies taking part in the programme, joined to their region."""
    return participants_query(programme_id)


def _check_agency(programme_id: int, agency_id: int) -> None:
    found = db.session.scalar(
        agencies_query(programme_id).where(Agency.id == agency_id).with_only_columns(Agency.id)
    )
    if found is None:
        raise DomainError(_l("Choose an agency of this programme."), field="agency_id")


def innovators_query(programme_id: int):
    return (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.programme_id == programme_id,
            Membership.role == Role.INNOVATOR,
            User.active.is_(True),
        )
    )


def _check_innovators(programme_id: int, user_ids: set[int], field: str) -> None:
    if not user_ids:
        return
    found = set(
        db.session.scalars(
            innovators_query(programme_id).where(User.id.in_(user_ids)).with_only_columns(User.id)
        )
    )
    if found != set(user_ids):
        raise DomainError(_l("Choose innovators of this programme."), field=field)


def replicable_query(programme_id: int, innovation_id: int | None = None):
    """What an innovation may replicate: its programme's accepted innovations,
    and institutionalised ones anywhere (the public catalogue)."""
    query = select(Innovation).where(
        or_(
            (Innovation.programme_id == programme_id) & Innovation.is_proposal.is_(False),
            Innovation.state == InnovationState.INSTITUTIONALISED,
            Innovation.published_at.is_not(None) & Innovation.consent_at.is_not(None),
        )
    )
    if innovation_id is not None:
        query = query.where(Innovation.id != innovation_id)
    return query


def _check_replicates(programme_id: int, replicates_id: int, innovation_id: int | None) -> None:
    found = db.session.scalar(
        replicable_query(programme_id, innovation_id)
        .where(Innovation.id == replicates_id)
        .with_only_columns(Innovation.id)
    )
    if found is None:
        raise DomainError(_l("Choose an innovation that can be replicated."), field="replicates_id")


def _check_team(programme_id: int, team_ids, owner_id: int | None) -> list[int]:
    team = {int(i) for i in team_ids or ()}
    if owner_id is not None:
        team.add(owner_id)  # the owner is always on the team
    _check_innovators(programme_id, team, field="team")
    return sorted(team)


def _set_team(innovation_id: int, user_ids) -> None:
    db.session.execute(
        delete(innovation_members).where(innovation_members.c.innovation_id == innovation_id)
    )
    if user_ids:
        db.session.execute(
            insert(innovation_members),
            [{"innovation_id": innovation_id, "user_id": uid} for uid in user_ids],
        )


def _clean_sdgs(goals) -> list[int] | None:
    """Sorted distinct SDG goals (1-17); None means "leave them as they are"."""
    if goals is None:
        return None
    try:
        cleaned = sorted({int(goal) for goal in goals})
    except (TypeError, ValueError):
        raise DomainError(_l("Choose SDG goals from 1 to 17."), field="sdgs") from None
    if any(goal not in SDG_GOALS for goal in cleaned):
        raise DomainError(_l("Choose SDG goals from 1 to 17."), field="sdgs")
    return cleaned


def _set_sdgs(innovation_id: int, goals) -> None:
    db.session.execute(
        delete(innovation_sdgs).where(innovation_sdgs.c.innovation_id == innovation_id)
    )
    if goals:
        db.session.execute(
            insert(innovation_sdgs),
            [{"innovation_id": innovation_id, "goal": goal} for goal in goals],
        )
