"""Calendar feeds: a secret .ics address per person, parsed back with icalendar."""

import re
from datetime import date, timedelta

from icalendar import Calendar

from incubator.extensions import db
from incubator.models import MentorAssignment, User, utcnow


def feed_address(client) -> str:
    html = client.get("/account/notifications?lang=en").get_data(as_text=True)
    match = re.search(r'id="calendar-url" type="text" readonly value="([^"]+)"', html)
    return match.group(1)


def events(client, address: str) -> dict:
    path = address.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.get_data())
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_the_profile_shows_an_absolute_ics_address_on_both_pages(app, client, login, known):
    login(known.world.innovator)
    address = feed_address(client)
    assert re.fullmatch(r"https?://[^/]+/calendar/[A-Za-z0-9_-]{20,}\.ics", address)
    html = client.get("/account?lang=en").get_data(as_text=True)
    assert address in html  # the same address: made once, then kept
    assert "Google Calendar" in html and "Outlook" in html


def test_owner_team_member_and_mentor_see_their_milestones(app, client, login, known):
    w = known.world
    login(w.innovator)
    mine = events(client, feed_address(client))
    # Owner of M1 (Antrian) and team member of Antrian and Bansos (owner of both);
    # M2 is done, Stalled and Sekolah are not theirs.
    assert sorted(mine) == ["Antrian: Uji coba", "Bansos: Anggaran", "Bansos: Perbup"]
    event = mine["Antrian: Uji coba"]
    assert event.decoded("dtstart") == date(2026, 6, 20)  # a date: all day
    assert event.decoded("dtend") == date(2026, 6, 21)
    milestone = known.milestones["M1"]
    host = app.config["BASE_URL"].split("//")[1].split(":")[0]
    assert str(event["uid"]) == f"milestone-{milestone.id}@{host}"
    assert str(event["url"]).endswith(
        f"/innovations/{known.cards['I1'].id}/milestones/{milestone.id}"
    )
    assert str(event["url"]).startswith("http")
    again = events(client, feed_address(client))
    assert str(again["Antrian: Uji coba"]["uid"]) == str(event["uid"])  # stable
    client.post("/logout")
    login(w.other_mentor)  # mentors Sekolah (on hold) and Stalled
    assert sorted(events(client, feed_address(client))) == [
        "Sekolah: Survei",
        "Stalled: Masalah",
    ]


def test_an_ended_mentoring_leaves_the_feed(app, client, login, known):
    w = known.world
    login(w.other_mentor)
    address = feed_address(client)
    db.session.execute(
        MentorAssignment.__table__.update()
        .where(MentorAssignment.mentor_id == w.other_mentor.id)
        .values(unassigned_at=utcnow() - timedelta(days=1))
    )
    db.session.commit()
    assert events(client, address) == {}


def test_regenerating_kills_the_old_address(app, client, login, known):
    login(known.world.innovator)
    old = feed_address(client)
    old_path = "/" + old.split("://", 1)[1].split("/", 1)[1]
    response = client.post("/account/calendar")
    assert response.status_code == 302
    new = feed_address(client)
    assert new != old
    assert client.get(old_path).status_code == 404
    assert events(client, new)
    client.post("/logout")
    assert events(client, new)  # the feed needs no login: the address is the secret


def test_wrong_tokens_are_not_found(app, client, known):
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert client.get("/calendar/" + "x" * 300 + ".ics").status_code == 404
    user = db.session.get(User, known.world.innovator.id)
    user.calendar_token = "deactivated-person-token-123"
    user.active = False
    db.session.commit()
    assert client.get("/calendar/deactivated-person-token-123.ics").status_code == 404
