"""Readiness: a complete entry is ready; taking away any one requirement makes it not ready,
and the checklist names what is missing. The implementation-age rule on its boundary."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from incubator.extensions import db
from incubator.models import DocumentKind, EntrySection, StageTransition, entry_section_documents
from incubator.pipeline import competitions as ops
from incubator.pipeline.readiness import (
    add_months,
    closes_at,
    days_to_close,
    is_closed,
    old_enough,
    readiness_of,
)

from .conftest import CLOSING, add_document, entered_development

ZONE = "Asia/Makassar"
SUMMARY = "Sistem antrean daring untuk anak-anak dan lansia di puskesmas."  # 9 words


def _rows(entry):
    return {
        row.section_id: row
        for row in db.session.scalars(
            db.select(EntrySection).where(EntrySection.entry_id == entry.id)
        )
    }


def make_ready(world, competition, entry):
    rows = _rows(entry)
    summary, background = sorted(rows.values(), key=lambda r: r.section_id)
    summary.text = SUMMARY
    background.text = "Antrean panjang setiap pagi."
    decree = add_document(world.innovation, DocumentKind.TEAM_DECREE, "SK Tim")
    evidence = add_document(world.innovation, DocumentKind.REPORT, "Laporan")
    db.session.execute(
        entry_section_documents.insert().values(
            entry_section_id=background.id, document_id=evidence.id
        )
    )
    entry.video_url = "https://video.example.org/antrean"
    entered_development(world.innovation, datetime(2025, 1, 10, 9, tzinfo=UTC))
    db.session.flush()
    return {"summary": summary, "background": background, "decree": decree, "evidence": evidence}


def kinds_missing(entry):
    return [item.kind for item in readiness_of(entry, ZONE).missing]


def test_a_complete_entry_is_ready(world, competition, entry):
    make_ready(world, competition, entry)
    readiness = readiness_of(entry, ZONE)
    assert readiness.ready, readiness.missing


@pytest.mark.parametrize(
    "take_away",
    ["summary_empty", "summary_too_long", "age", "decree", "video", "video_malformed", "evidence"],
)
def test_each_missing_requirement_makes_it_not_ready(world, competition, entry, take_away):
    parts = make_ready(world, competition, entry)
    expected = {
        "summary_empty": "section_empty",
        "summary_too_long": "section_too_long",
        "age": "age",
        "decree": "document",
        "video": "video",
        "video_malformed": "video",
        "evidence": "evidence",
    }[take_away]
    match take_away:
        case "summary_empty":
            parts["summary"].text = "  \n- \n"
        case "summary_too_long":
            parts["summary"].text = " ".join(["kata"] * 21)  # the limit is 20
        case "age":
            competition.closing_date = date(2025, 12, 31)  # 12 months not reached by then
        case "decree":
            db.session.delete(parts["decree"])
        case "video":
            entry.video_url = ""
        case "video_malformed":
            entry.video_url = "javascript:alert(1)"
        case "evidence":
            db.session.execute(entry_section_documents.delete())
    db.session.flush()
    assert kinds_missing(entry) == [expected]


def test_a_section_over_its_limit_is_saved_whole(world, competition, entry):
    row = min(_rows(entry).values(), key=lambda r: r.section_id)  # the 20-word summary
    long_text = " ".join(f"kata{i}" for i in range(50))
    ops.save_section(row, long_text, row.version, world.innovator, world.programme)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(EntrySection, row.id).text == long_text
    assert "section_too_long" in kinds_missing(entry)


@pytest.mark.parametrize(
    ("started", "ready"),
    [
        (date(2025, 12, 31), True),  # exactly 12 months on the closing date
        (date(2026, 1, 1), False),  # one day short
        (date(2025, 12, 30), True),
    ],
)
def test_implementation_age_on_the_boundary(world, competition, entry, started, ready):
    """CLOSING is 31 Dec 2026, the minimum 12 months: entering Development on 31 Dec 2025
    (a date in the programme's zone) is just enough."""
    make_ready(world, competition, entry)
    db.session.execute(db.delete(StageTransition))
    local = datetime.combine(started, datetime.min.time(), tzinfo=ZoneInfo(ZONE))
    # 00:30 local on that day is still the previous day in UTC: the zone decides.
    entered_development(world.innovation, local.replace(minute=30))
    assert ("age" not in kinds_missing(entry)) is ready


def test_a_stated_start_counts_only_with_a_document(world, competition, entry):
    make_ready(world, competition, entry)
    db.session.execute(db.delete(StageTransition))
    entry.implementation_started_on = date(2024, 5, 1)
    db.session.flush()
    assert "age" in kinds_missing(entry)  # no document backs the stated date
    proof = add_document(world.innovation, DocumentKind.REPORT, "Laporan awal")
    entry.implementation_document_id = proof.id
    db.session.flush()
    assert "age" not in kinds_missing(entry)


def test_months_and_closing_rule():
    assert add_months(date(2021, 8, 31), 6) == date(2022, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert old_enough(date(2021, 3, 31), 24, date(2023, 3, 31))
    assert not old_enough(date(2021, 4, 1), 24, date(2023, 3, 31))


def test_the_closing_date_ends_at_midnight_in_the_programme_zone(competition):
    # 31 Dec 2026 ends at 1 Jan 2027 00:00 in Makassar (UTC+8), i.e. 31 Dec 16:00 UTC.
    assert closes_at(competition, ZONE) == datetime(2026, 12, 31, 16, tzinfo=UTC)
    assert not is_closed(competition, ZONE, datetime(2026, 12, 31, 15, 59, tzinfo=UTC))
    assert is_closed(competition, ZONE, datetime(2026, 12, 31, 16, 0, tzinfo=UTC))
    assert not is_closed(competition, "Asia/Jayapura", datetime(2026, 12, 31, 14, 59, tzinfo=UTC))
    assert days_to_close(competition, date(2026, 12, 17)) == 14
    assert days_to_close(competition, CLOSING) == 0
