"""Milestone operations."""

from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Innovation, Milestone, MilestoneTemplate


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
