"""Absolute links for emails, built without a request from BASE_URL."""

from flask import current_app

from ..models import Innovation, Programme


def absolute_url(endpoint: str, **values) -> str:
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"] + path


def innovation_url(innovation: Innovation, programme: Programme, milestone_id: int | None = None):
    """The milestone's page when the email is about one, else the innovation's page."""
    if milestone_id:
        return absolute_url(
            "innovations.milestone", innovation_id=innovation.id, milestone_id=milestone_id
        )
    return absolute_url("innovations.detail", innovation_id=innovation.id)


def settings_url() -> str:
    return absolute_url("reminders.notifications")


def unsubscribe_url(token: str) -> str:
    return absolute_url("reminders.unsubscribe", token=token)
