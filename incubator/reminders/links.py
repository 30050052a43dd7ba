"""Absolute links for emails, built without a request from BASE_URL."""

from flask import current_app
from werkzeug.routing import BuildError

from ..models import Innovation, Programme

# The innovation's own page, if the app has one; else the card on the board.
INNOVATION_ENDPOINT = "innovations.show"


def absolute_url(endpoint: str, **values) -> str:
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"] + path


def innovation_url(innovation: Innovation, programme: Programme, milestone_id: int | None = None):
    anchor = f"#milestone-{milestone_id}" if milestone_id else ""
    if INNOVATION_ENDPOINT in current_app.view_functions:
        try:
            return absolute_url(INNOVATION_ENDPOINT, innovation_id=innovation.id) + anchor
        except BuildError:
            pass
    board = absolute_url("board.board", slug=programme.slug, card=innovation.id)
    return board + (anchor or f"#innovation-{innovation.id}")


def settings_url() -> str:
    return absolute_url("reminders.notifications")


def unsubscribe_url(token: str) -> str:
    return absolute_url("reminders.unsubscribe", token=token)
