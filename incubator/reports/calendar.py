"""A person's calendar feed: the due dates of the milestones they own, share as a
team member, or mentor, as all-day iCalendar events (RFC 5545, `icalendar`)."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, Event
from sqlalchemy import exists, or_, select

from ..extensions import db
from ..models import (
    Innovation,
    InnovationState,
    Membership,
    MentorAssignment,
    Milestone,
    Programme,
    User,
    innovation_members,
)

PRODID = "-//Incubator//Milestone due dates//EN"


def absolute_url(endpoint: str, **values) -> str:
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"] + path


def feed_url(user: User) -> str:
    """The person's secret feed address (absolute, ends in .ics)."""
    return absolute_url("reports.calendar_feed", token=user.calendar_token)


def milestones_for(user: User):
    """(milestone id, title, due date, innovation id, innovation title) rows, by due date."""
    own = Milestone.owner_id == user.id
    team = exists().where(
        innovation_members.c.innovation_id == Innovation.id,
        innovation_members.c.user_id == user.id,
    )
    mentoring = exists().where(
        MentorAssignment.innovation_id == Innovation.id,
        MentorAssignment.mentor_id == user.id,
        MentorAssignment.unassigned_at.is_(None),
    )
    query = (
        select(Milestone.id, Milestone.title, Milestone.due_date, Innovation.id, Innovation.title)
        .join(Innovation, Innovation.id == Milestone.innovation_id)
        .join(Programme, Programme.id == Innovation.programme_id)
        .join(
            Membership,
            (Membership.programme_id == Programme.id) & (Membership.user_id == user.id),
        )
        .where(
            Milestone.due_date.is_not(None),
            Milestone.done_at.is_(None),
            Programme.archived.is_(False),
            Innovation.state.in_([InnovationState.ACTIVE, InnovationState.ON_HOLD]),
            or_(own, team, mentoring),
        )
        .order_by(Milestone.due_date, Milestone.id)
    )
    return db.session.execute(query)


def feed(user: User, now: datetime) -> bytes:
    """The iCalendar text of the person's feed."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", current_app.config.get("CALENDAR_NAME", "Incubator"))
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "incubator"
    for milestone_id, title, due, innovation_id, innovation_title in milestones_for(user):
        url = absolute_url(
            "innovations.milestone", innovation_id=innovation_id, milestone_id=milestone_id
        )
        event = Event()
        event.add("uid", f"milestone-{milestone_id}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", due)  # a date: an all-day event
        event.add("dtend", due + timedelta(days=1))
        event.add("summary", f"{innovation_title}: {title}")
        event.add("url", url)
        event.add("description", url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
