"""Competition deadline reminders: 14, 7 and 2 days before the closing date, the team of an
entry that is not ready finds what is missing in their daily email, in their language; each
reminder fires once; a ready entry, or one that became ready, gets none."""

from datetime import date, timedelta

from sqlalchemy import select

from incubator.extensions import db
from incubator.models import (
    CompetitionRequiredDocument,
    CompetitionSection,
    EntrySection,
    NotificationOptOut,
)
from tests import factories

from .conftest import (
    MONDAY_0900_WITA,
    add_to_team,
    body,
    emails_to,
    outbox,
    run_deliver,
    run_enqueue,
)

MONDAY = date(2026, 3, 2)
CLOSING = MONDAY + timedelta(days=14)  # Monday 16 March 2026


def competition_items(**filters):
    return [m for m in outbox(**filters) if m.kind == "competition_deadline"]


def daily(smtp, user):
    return [m for m in emails_to(smtp, user) if m["X-Incubator-Kind"] == "daily_reminders"]


def test_reminders_at_14_7_and_2_days_list_what_is_missing_once_each(monday, quiet, smtp):
    world = quiet
    world.innovator.locale = "id"
    colleague = factories.make_user("innovator", programme=world.programme, locale="en")
    add_to_team(world.innovation, colleague)
    competition = factories.make_competition(
        world.programme, name="KIPP 2026", closing_date=CLOSING
    )
    entry = factories.make_entry(world.innovation, competition, by=world.innovator)
    summary = db.session.scalar(
        select(EntrySection)
        .join(CompetitionSection, CompetitionSection.id == EntrySection.section_id)
        .where(EntrySection.entry_id == entry.id, CompetitionSection.position == 1)
    )
    summary.text = " ".join(["kata"] * 25)  # over its 20-word limit: kept, not ready
    db.session.commit()

    run_enqueue()
    run_deliver()
    items = competition_items()
    assert {(m.recipient_id, m.context["days_before"]) for m in items} == {
        (world.innovator.id, 14),
        (colleague.id, 14),
    }
    assert {m.dedupe_key for m in items} == {
        f"competition_deadline:{entry.id}:2026-03-16:14:{world.innovator.id}",
        f"competition_deadline:{entry.id}:2026-03-16:14:{colleague.id}",
    }
    [email] = daily(smtp, world.innovator)
    assert str(email["Subject"]).strip() == (
        f"KIPP 2026 ditutup dalam 14 hari: “{world.innovation.title}” belum siap"
    )
    text = body(email)
    assert "Ringkasan: 25 kata, melebihi 20 kata" in text
    assert "SK penetapan tim inovasi belum dilampirkan" in text
    assert "Tautan video (http atau https) belum diisi" in text
    assert f"/entries/{entry.id}" in text
    [english] = daily(smtp, colleague)
    assert str(english["Subject"]).strip() == (
        f"KIPP 2026 closes in 14 days: “{world.innovation.title}” is not ready"
    )
    assert "- Summary: 25 words, over the limit of 20" in body(english)
    assert "Closes on 16 Mar 2026, in 14 days. Missing:" in body(english)

    # Running again the same day writes and sends nothing new.
    run_enqueue()
    run_deliver()
    assert len(competition_items()) == 2 and len(daily(smtp, world.innovator)) == 1

    # 13 days before: nothing; 7 days before: the second reminder.
    monday.move_to(MONDAY_0900_WITA + timedelta(days=1), tick=False)
    run_enqueue()
    assert len(competition_items()) == 2
    monday.move_to(MONDAY_0900_WITA + timedelta(days=7), tick=False)
    run_enqueue()
    run_deliver()
    assert sorted(m.context["days_before"] for m in competition_items()) == [7, 7, 14, 14]
    assert "7 hari" in str(daily(smtp, world.innovator)[-1]["Subject"])

    # The colleague switches these reminders off; two days before, only the owner hears.
    db.session.add(NotificationOptOut(user_id=colleague.id, kind="competition_deadline"))
    db.session.commit()
    monday.move_to(MONDAY_0900_WITA + timedelta(days=12), tick=False)
    run_enqueue()
    run_deliver()
    last = competition_items(recipient_id=world.innovator.id)[-1]
    assert (last.context["days_before"], last.status) == (2, "sent")
    assert len(competition_items(recipient_id=colleague.id)) == 2
    assert len(daily(smtp, world.innovator)) == 3 and len(daily(smtp, colleague)) == 2
    # The closing day and after: no more.
    monday.move_to(MONDAY_0900_WITA + timedelta(days=15), tick=False)
    run_enqueue()
    assert len(competition_items()) == 5


def ready_competition(world, closing):
    """A competition asking only for written sections, and the world's entry written."""
    competition = factories.make_competition(
        world.programme, closing_date=closing, min_implementation_months=0, requires_video=False
    )
    db.session.execute(
        CompetitionRequiredDocument.__table__.delete().where(
            CompetitionRequiredDocument.template_id == competition.id
        )
    )
    for section in db.session.scalars(
        select(CompetitionSection).where(CompetitionSection.template_id == competition.id)
    ):
        section.expects_documents = False
    entry = factories.make_entry(world.innovation, competition, by=world.innovator)
    for row in db.session.scalars(select(EntrySection).where(EntrySection.entry_id == entry.id)):
        row.text = "Ditulis dengan lengkap."
    db.session.commit()
    return competition, entry


def test_a_ready_entry_gets_no_reminder(monday, quiet, smtp):
    ready_competition(quiet, CLOSING)
    run_enqueue()
    run_deliver()
    assert competition_items() == []
    assert daily(smtp, quiet.innovator) == []


def test_an_entry_that_becomes_ready_before_08_00_is_not_reminded(time_machine, quiet, smtp):
    """Written the evening before (the item for 08:00 is already queued): dropped at send."""
    time_machine.move_to(MONDAY_0900_WITA - timedelta(hours=14), tick=False)  # Sun 19:00 WITA
    competition, entry = ready_competition(quiet, CLOSING)
    rows = db.session.scalars(select(EntrySection).where(EntrySection.entry_id == entry.id))
    first = sorted(rows, key=lambda r: r.section_id)[0]
    first.text = ""
    db.session.commit()
    run_enqueue()
    [item] = competition_items()
    assert item.status == "pending"
    first.text = "Sekarang sudah ditulis."
    db.session.commit()
    time_machine.move_to(MONDAY_0900_WITA, tick=False)
    run_enqueue()
    run_deliver()
    assert competition_items()[0].status == "void"
    assert daily(smtp, quiet.innovator) == []


def test_milestones_and_a_competition_share_the_days_email(monday, quiet, smtp):
    world = quiet
    world.innovator.locale = "en"
    factories.make_milestone(
        world.innovation,
        due_date=MONDAY + timedelta(days=1),
        title="Pilot in two villages",
        owner_id=world.innovator.id,
    )
    competition = factories.make_competition(
        world.programme, name="KIPP 2026", closing_date=CLOSING
    )
    factories.make_entry(world.innovation, competition, by=world.innovator)
    db.session.commit()
    run_enqueue()
    run_deliver()
    [email] = daily(smtp, world.innovator)
    subject = str(email["Subject"]).strip()
    assert subject.startswith("1 milestone needs attention: ")
    assert subject.endswith(" · KIPP 2026 closes in 14 days")
    text = body(email)
    assert text.index("Pilot in two villages") < text.index("== Competition entries not ready ==")
    assert "Update the progress or the due date from each link." in text
    assert "Complete the entry from its link before the competition closes." in text
