"""The `innovations` blueprint and the template helpers its pages share."""

from flask import Blueprint

from . import queries, timeline

bp = Blueprint("innovations", __name__)

TABS = ("overview", "milestones", "feedback", "history")


@bp.app_template_global()
def milestone_status(milestone, today):
    return queries.milestone_status(milestone, today)


@bp.app_template_global()
def describe_activity(entry):
    return timeline.describe(entry)
