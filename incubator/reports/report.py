"""The programme report's list: innovations by stage with their milestones done/total."""

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Agency, Innovation, Milestone, Stage, User


def innovations_by_stage(where: list) -> dict:
    """{stage: [rows]} for the innovations in scope; one query, counts in SQL."""
    of_stage = (Milestone.innovation_id == Innovation.id, Milestone.stage == Innovation.stage)
    done = select(func.count(Milestone.done_at)).where(*of_stage).scalar_subquery()
    total = select(func.count(Milestone.id)).where(*of_stage).scalar_subquery()
    order = {stage.value: stage.index for stage in Stage}
    rows = db.session.execute(
        select(
            Innovation.stage,
            Innovation.title,
            Innovation.state,
            Agency.name,
            User.name,
            done,
            total,
        )
        .outerjoin(Agency, Agency.id == Innovation.agency_id)
        .outerjoin(User, User.id == Innovation.owner_id)
        .where(*where)
        .order_by(case(order, value=Innovation.stage, else_=len(order)), Innovation.title)
    )
    grouped = {stage.value: [] for stage in Stage}
    for stage, title, state, agency, owner, done_count, total_count in rows:
        grouped.setdefault(stage, []).append(
            {
                "title": title,
                "state": state,
                "agency": agency or "",
                "owner": owner or "",
                "done": done_count,
                "total": total_count,
            }
        )
    return grouped
