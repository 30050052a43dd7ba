"""Milestone templates: what every innovation gets on entering a stage."""

from sqlalchemy import func, select

from ..extensions import db
from ..models import MilestoneTemplate, Programme, Stage, User
from ..translating import lazy_gettext as _l
from . import DomainError, activity
from .rules import NOTE_MAX, clean_text, clean_title

TEMPLATE_FIELDS = ("stage", "title", "description", "offset_days", "required")
OFFSET_MAX = 3650  # ten years is surely a typo beyond


def add_template(programme: Programme, actor: User, **fields) -> MilestoneTemplate:
    values = _clean(fields, new=True)
    last = db.session.scalar(
        select(func.max(MilestoneTemplate.position)).where(
            MilestoneTemplate.programme_id == programme.id,
            MilestoneTemplate.stage == values["stage"],
        )
    )
    template = MilestoneTemplate(
        programme_id=programme.id, position=(last if last is not None else -1) + 1, **values
    )
    db.session.add(template)
    db.session.flush()
    activity.record(
        "template_added",
        actor=actor,
        programme_id=programme.id,
        template_id=template.id,
        title=template.title,
        stage=template.stage,
    )
    db.session.flush()
    return template


def edit_template(template: MilestoneTemplate, actor: User, **fields) -> list[str]:
    """Change a template; milestones already created from it stay as they are."""
    values = _clean(fields, new=False)
    changed = [name for name, value in values.items() if getattr(template, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(template, name, values[name])
    activity.record(
        "template_edited",
        actor=actor,
        programme_id=template.programme_id,
        template_id=template.id,
        title=template.title,
        fields=changed,
    )
    db.session.flush()
    return changed


def delete_template(template: MilestoneTemplate, actor: User) -> None:
    """Milestones made from it stay; they just lose the link (ON DELETE SET NULL)."""
    activity.record(
        "template_deleted",
        actor=actor,
        programme_id=template.programme_id,
        title=template.title,
        stage=template.stage,
    )
    db.session.delete(template)
    db.session.flush()


def _clean(fields: dict, *, new: bool) -> dict:
    unknown = set(fields) - set(TEMPLATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown template fields: {sorted(unknown)}")
    values = dict(fields)
    if (new or "stage" in values) and values.get("stage") not in set(Stage):
        raise DomainError(_l("Choose a valid stage."), field="stage")
    if new or "title" in values:
        values["title"] = clean_title(values.get("title", ""))
    if "description" in values:
        values["description"] = clean_text(values["description"], "description", NOTE_MAX)
    if "offset_days" in values:
        offset = values["offset_days"]
        if not isinstance(offset, int) or not 0 <= offset <= OFFSET_MAX:
            raise DomainError(
                _l("Enter a whole number from 0 to %(max)d.", max=OFFSET_MAX), field="offset_days"
            )
    if "required" in values:
        values["required"] = bool(values["required"])
    return values
