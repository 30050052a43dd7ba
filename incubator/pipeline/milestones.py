"""Milestone operations."""

from datetime import date, timedelta

from sqlalchemy import delete, select

from ..extensions import db
from ..models import (
    DueDateRequest,
    DueDateRequestStatus,
    Innovation,
    Milestone,
    MilestoneTemplate,
    ProgressUpdate,
    Stage,
    User,
    team_member_ids,
    utcnow,
)
from ..translating import lazy_gettext as _l
from . import Conflict, DomainError, NotAllowed, activity
from .rules import NOTE_MAX, clean_text, clean_title, clean_url

# A typo such as year 20255 is refused rather than stored.
DUE_DATE_MIN = date(2000, 1, 1)
DUE_DATE_MAX = date(2100, 12, 31)


def create_from_templates(innovation: Innovation, stage: str, entered_on: date) -> list[Milestone]:
    """Give the innovation its programme's milestones for `stage`, due from `entered_on`.

    Templates already applied to this innovation are skipped, so re-entering a
    stage (after a backward move) does not duplicate its milestones.
    """
    templates = db.session.scalars(
        select(MilestoneTemplate)
        .where(
            MilestoneTemplate.programme_id == innovation.programme_id,
            MilestoneTemplate.stage == stage,
        )
        .order_by(MilestoneTemplate.position, MilestoneTemplate.id)
    ).all()
    if not templates:
        return []  # a stage without templates: nothing to create, nothing to compare with
    applied = set(
        db.session.scalars(
            select(Milestone.template_id).where(
                Milestone.innovation_id == innovation.id, Milestone.template_id.is_not(None)
            )
        )
    )
    created = [
        Milestone(
            innovation_id=innovation.id,
            stage=stage,
            title=template.title,
            description=template.description,
            due_date=entered_on + timedelta(days=template.offset_days),
            owner_id=innovation.owner_id,
            required=template.required,
            template_id=template.id,
        )
        for template in templates
        if template.id not in applied
    ]
    db.session.add_all(created)
    db.session.flush()
    return created


# -- milestones edited by people ----------------------------------------------------------

MILESTONE_FIELDS = ("title", "description", "stage", "due_date", "owner_id", "required")


GATE_FLAG = _l("Only a coordinator decides whether a milestone is required.")
GATE_DUE = _l(
    "Only a coordinator moves the due date of a required milestone: ask for a new date instead."
)
GATE_DELETE = _l("Only a coordinator deletes a required milestone.")


def add_milestone(
    innovation: Innovation, actor: User, *, may_change_gate: bool = True, **fields
) -> Milestone:
    """A new milestone; only a coordinator (`may_change_gate`) makes it required."""
    values = _clean_milestone(innovation, fields)
    if values.get("required") and not may_change_gate:
        raise NotAllowed(GATE_FLAG)
    values.setdefault("stage", innovation.stage)
    milestone = Milestone(innovation_id=innovation.id, **values)
    db.session.add(milestone)
    db.session.flush()
    activity.record(
        "milestone_added",
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        milestone_id=milestone.id,
        title=milestone.title,
    )
    db.session.flush()
    return milestone


def edit_milestone(
    milestone: Milestone,
    innovation: Innovation,
    actor: User,
    *,
    may_change_gate: bool = True,
    **fields,
) -> list[str]:
    """Change a milestone; returns the names of the fields that changed. Without
    `may_change_gate` (a coordinator's right) the required flag and a required
    milestone's due date stay as they are."""
    values = _clean_milestone(innovation, fields, current=milestone)
    changed = [name for name, value in values.items() if getattr(milestone, name) != value]
    if not changed:
        return []
    if not may_change_gate:
        if "required" in changed:
            raise NotAllowed(GATE_FLAG)
        if milestone.required and "due_date" in changed:
            raise NotAllowed(GATE_DUE, field="due_date")
    gate = {}  # what the history must show of a change to the gate, before and after
    if "required" in changed:
        gate.update(required_from=milestone.required, required_to=values["required"])
    if "due_date" in changed and (milestone.required or values.get("required")):
        old = milestone.due_date
        gate.update(due_from=old.isoformat() if old else None, due_to=str(values["due_date"]))
    for name in changed:
        setattr(milestone, name, values[name])
    activity.record(
        "milestone_edited",
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        milestone_id=milestone.id,
        title=milestone.title,
        fields=changed,
        **gate,
    )
    db.session.flush()
    return changed


def delete_milestone(
    milestone: Milestone, innovation: Innovation, actor: User, *, may_change_gate: bool = True
) -> None:
    """Delete it with its progress updates; the timeline keeps its title. A required
    milestone is part of the gate: only a coordinator deletes it."""
    if milestone.required and not may_change_gate:
        raise NotAllowed(GATE_DELETE)
    activity.record(
        "milestone_deleted",
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        title=milestone.title,
        required=milestone.required,
    )
    db.session.execute(delete(ProgressUpdate).where(ProgressUpdate.milestone_id == milestone.id))
    db.session.delete(milestone)
    db.session.flush()


# -- a new due date for a required milestone, asked for and decided ---------------------


def open_due_date_request(milestone: Milestone) -> DueDateRequest | None:
    return db.session.scalars(
        select(DueDateRequest).where(
            DueDateRequest.milestone_id == milestone.id,
            DueDateRequest.status == DueDateRequestStatus.PENDING,
        )
    ).first()


def request_due_date(
    milestone: Milestone, innovation: Innovation, actor: User, *, due_date: date, reason: str
) -> DueDateRequest:
    """The team asks a coordinator to move a required milestone's due date."""
    if not milestone.required:
        raise DomainError(_l("Change this milestone's due date directly."), field="due_date")
    if due_date is None or not (DUE_DATE_MIN <= due_date <= DUE_DATE_MAX):
        raise DomainError(
            _l("Choose a date between %(min)s and %(max)s.", min=DUE_DATE_MIN, max=DUE_DATE_MAX),
            field="due_date",
        )
    if due_date == milestone.due_date:
        raise DomainError(_l("Choose a date other than the current one."), field="due_date")
    reason = clean_text(reason, "reason", NOTE_MAX)
    if not reason:
        raise DomainError(_l("Say why the date should move."), field="reason")
    if open_due_date_request(milestone) is not None:
        raise Conflict(
            _l("A request for this milestone is already waiting for a coordinator."),
            field="due_date",
        )
    request = DueDateRequest(
        milestone_id=milestone.id,
        requested_by_id=actor.id,
        from_date=milestone.due_date,
        to_date=due_date,
        reason=reason,
    )
    db.session.add(request)
    db.session.flush()
    activity.record(
        "due_date_requested",
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        milestone_id=milestone.id,
        title=milestone.title,
        due_from=milestone.due_date.isoformat() if milestone.due_date else None,
        due_to=due_date.isoformat(),
        reason=reason,
    )
    db.session.flush()
    return request


def decide_due_date(
    request: DueDateRequest,
    milestone: Milestone,
    innovation: Innovation,
    actor: User,
    *,
    approve: bool,
) -> None:
    """A coordinator approves (the due date moves) or declines a pending request."""
    if request.milestone_id != milestone.id:
        raise DomainError(_l("This request belongs to another milestone."))
    if request.status != DueDateRequestStatus.PENDING:
        raise Conflict(_l("This request has already been decided."))
    request.status = DueDateRequestStatus.APPROVED if approve else DueDateRequestStatus.DECLINED
    request.decided_by_id = actor.id
    request.decided_at = utcnow()
    old = milestone.due_date
    if approve:
        milestone.due_date = request.to_date
    activity.record(
        "due_date_approved" if approve else "due_date_declined",
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        milestone_id=milestone.id,
        title=milestone.title,
        due_from=old.isoformat() if old else None,
        due_to=request.to_date.isoformat(),
    )
    db.session.flush()


def record_progress(
    milestone: Milestone,
    innovation: Innovation,
    actor: User,
    *,
    progress: int,
    note: str = "",
    evidence_url: str | None = None,
    document_id: int | None = None,
) -> ProgressUpdate:
    """Keep the update; 100 marks the milestone done, anything lower reopens it."""
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise DomainError(_l("Enter a whole number from 0 to 100."), field="progress")
    note = clean_text(note, "note", NOTE_MAX)
    evidence_url = clean_url(evidence_url, "evidence_url")
    # Read the current value under a row lock, so two updates at once both tell the truth.
    db.session.refresh(milestone, with_for_update=True)
    before = milestone.progress
    if progress == before and not note and not evidence_url and not document_id:
        raise DomainError(_l("Change the progress or add a note."), field="progress")
    update = ProgressUpdate(
        milestone_id=milestone.id,
        author_id=actor.id,
        from_progress=before,
        to_progress=progress,
        note=note,
        evidence_url=evidence_url,
        document_id=document_id,
    )
    db.session.add(update)
    milestone.progress = progress
    if progress == 100 and milestone.done_at is None:
        milestone.done_at = utcnow()
    elif progress < 100:
        milestone.done_at = None
    activity.record(
        "progress_recorded",
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        milestone_id=milestone.id,
        title=milestone.title,
        from_progress=before,
        to_progress=progress,
    )
    db.session.flush()
    return update


def _clean_milestone(innovation: Innovation, fields: dict, current: Milestone | None = None):
    unknown = set(fields) - set(MILESTONE_FIELDS)
    if unknown:
        raise TypeError(f"unknown milestone fields: {sorted(unknown)}")
    values = dict(fields)
    if "title" in values or current is None:
        values["title"] = clean_title(values.get("title", ""))
    if "description" in values:
        values["description"] = clean_text(values["description"], "description")
    if "stage" in values and values["stage"] not in set(Stage):
        raise DomainError(_l("Choose a valid stage."), field="stage")
    due = values.get("due_date")
    if due is not None and not (DUE_DATE_MIN <= due <= DUE_DATE_MAX):
        raise DomainError(
            _l("Choose a date between %(min)s and %(max)s.", min=DUE_DATE_MIN, max=DUE_DATE_MAX),
            field="due_date",
        )
    if "required" in values:
        values["required"] = bool(values["required"])
    owner_id = values.get("owner_id")
    owner_changes = owner_id is not None and (current is None or current.owner_id != owner_id)
    if owner_changes and owner_id not in team_member_ids(innovation.id) | {innovation.owner_id}:
        raise DomainError(_l("Choose someone on the innovation's team."), field="owner_id")
    return values
