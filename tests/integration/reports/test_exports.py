"""Board and milestone exports, read back with csv and openpyxl, field by field."""

import csv
import io
import tracemalloc
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from incubator.extensions import db
from incubator.models import EventKind, ProgrammeEvent
from incubator.reports import exports

BOARD_HEADER = [
    "Stage",
    "State",
    "Title",
    "Owner",
    "Agency",
    "Region",
    "SPM sector",
    "SDG goals",
    "Mentors",
    "Milestones done",
    "Milestones total",
    "Next due date",
    "Days in stage",
    "Last progress date",
]
MILESTONE_HEADER = [
    "Innovation",
    "Stage",
    "Milestone",
    "Due date",
    "Progress (%)",
    "Done on",
    "Owner",
]
INJECTION = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def coordinator(client, login, known):
    login(known.world.coordinator)
    client.get("/?lang=en")
    return client


def export_url(known, kind, fmt, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    base = f"/programmes/{known.world.programme.slug}/export/{kind}.{fmt}"
    return base + (f"?{query}" if query else "")


def read_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())  # the BOM, for Excel
    assert b"\r\n" in body  # RFC 4180 line ends
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def read_xlsx(response):
    workbook = load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook.active
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def expected_board_rows(known):
    w = known.world
    return [
        # stage order, then position: Stalled (Creation), Antrian, Bansos.
        ["Creation", "Active", "Stalled", w.other_innovator.name, "Dinas Kesehatan Belu", "Belu",
         "Health", "", w.other_mentor.name, 0, 1, date(2026, 5, 1), 45, None],
        ["Development", "Active", INJECTION, w.innovator.name, "Dinas Kesehatan Belu", "Belu",
         "Health", "3, 16", w.mentor.name, 1, 2, date(2026, 6, 20), 10, None],
        ["Institutionalisation", "Active", "Bansos", w.innovator.name, "Dinas Sosial Sumba Timur",
         "Sumba Timur", "Social affairs", "1", w.mentor.name, 0, 2, date(2026, 6, 1), 40,
         date(2026, 6, 27)],
    ]  # fmt: skip


def as_csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith("="):
        return "'" + value
    return str(value)


def test_board_csv_field_by_field(app, coordinator, known):
    known.cards["I1"].title = INJECTION
    db.session.commit()
    response = coordinator.get(export_url(known, "board", "csv"))
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert 'attachment; filename="' in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == BOARD_HEADER
    expected = [[as_csv_text(v) for v in row] for row in expected_board_rows(known)]
    assert rows[1:] == expected
    assert rows[2][2] == "'" + INJECTION  # neutralised, not a formula


def test_board_xlsx_field_by_field_with_frozen_header_widths_and_real_dates(
    app, coordinator, known
):
    known.cards["I1"].title = INJECTION
    db.session.commit()
    response = coordinator.get(export_url(known, "board", "xlsx"))
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet, rows = read_xlsx(response)
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width == 40
    assert rows[0] == BOARD_HEADER
    expected = expected_board_rows(known)
    expected[1][2] = "'" + INJECTION
    for row in expected:  # dates come back as datetimes at midnight, empty text as None
        for i, value in enumerate(row):
            if isinstance(value, date):
                row[i] = datetime(value.year, value.month, value.day)
            elif value == "":
                row[i] = None
    assert rows[1:] == expected
    assert sheet["L2"].is_date and sheet["L2"].number_format == "yyyy-mm-dd"
    assert sheet["C3"].data_type == "s"


def test_milestones_export_in_both_formats(app, coordinator, known):
    w = known.world
    rows = read_csv(coordinator.get(export_url(known, "milestones", "csv", region=known.belu.id)))
    assert rows[0] == MILESTONE_HEADER
    # Active cards in Belu: Antrian (M1, M2) and Stalled (M5), by innovation title.
    assert rows[1:] == [
        ["Antrian", "Development", "Uji coba", "2026-06-20", "0", "", w.innovator.name],
        [
            "Antrian",
            "Development",
            "Rancangan",
            "2026-06-29",
            "100",
            "2026-06-28",
            w.innovator.name,
        ],
        ["Stalled", "Creation", "Masalah", "2026-05-01", "0", "", ""],
    ]
    sheet, xrows = read_xlsx(
        coordinator.get(export_url(known, "milestones", "xlsx", region=known.belu.id))
    )
    assert xrows[0] == MILESTONE_HEADER
    assert xrows[2] == [
        "Antrian",
        "Development",
        "Rancangan",
        datetime(2026, 6, 29),
        100,
        datetime(2026, 6, 28),
        w.innovator.name,
    ]


def test_exports_honour_the_board_filters(app, coordinator, known):
    rows = read_csv(coordinator.get(export_url(known, "board", "csv", state="on_hold")))
    assert [row[2] for row in rows[1:]] == ["Sekolah"]
    rows = read_csv(coordinator.get(export_url(known, "board", "csv", sector="health", sdg=3)))
    assert [row[2] for row in rows[1:]] == ["Antrian"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_filter_matching_nothing_gives_only_the_header(app, coordinator, known, fmt):
    response = coordinator.get(export_url(known, "board", fmt, q="nothing-like-this"))
    assert response.status_code == 200
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)[1]
    assert rows == [BOARD_HEADER]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"region": "abc"}, "Region"),
        ({"state": "sleeping"}, "State"),
        ({"sector": "mining"}, "Choose one of the options."),
    ],
)
def test_an_unknown_filter_value_is_a_400_with_the_message(app, coordinator, known, args, message):
    response = coordinator.get(export_url(known, "board", "csv", **args))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The export could not be made" in html and message in html
    assert db.session.query(ProgrammeEvent).filter_by(kind=EventKind.EXPORTED).count() == 0


def test_exports_are_recorded_in_the_event_log(app, coordinator, known):
    coordinator.get(export_url(known, "board", "xlsx", region=known.belu.id, q="Ant")).get_data()
    [event] = db.session.query(ProgrammeEvent).filter_by(kind=EventKind.EXPORTED).all()
    assert event.actor_id == known.world.coordinator.id
    assert event.details == {
        "export": "board",
        "format": "xlsx",
        "region": known.belu.id,
        "q": "Ant",
    }
    assert event.created_at is not None


def test_only_coordinators_export_and_see_the_links(app, client, login, known):
    w = known.world
    board = f"/programmes/{w.programme.slug}/board?lang=en&region={known.belu.id}"
    login(w.coordinator)
    html = client.get(board).get_data(as_text=True)
    assert ">Excel (XLSX)</a>" in html and ">CSV</a>" in html
    assert f"/export/board.csv?region={known.belu.id}" in html
    assert "Excel with Indonesian settings expects semicolons" in html
    html_id = client.get(board.replace("lang=en", "lang=id")).get_data(as_text=True)
    assert ">Excel (XLSX)</a>" in html_id and ">CSV</a>" in html_id
    client.post("/logout")
    for person in (w.innovator, w.mentor):
        login(person)
        assert client.get(export_url(known, "board", "csv")).status_code == 403
        assert "/export/" not in client.get(board).get_data(as_text=True)
        client.post("/logout")
    login(w.coordinator)
    assert client.get(export_url(known, "board", "pdf")).status_code == 404


def _rows(n: int, consumed: list):
    for i in range(n):
        consumed.append(i)
        yield ("Creation", "Active", f"Card {i}", "Owner", "Agency", "Region", "Health", "1, 2",
               "Mentor", 1, 2, date(2026, 6, 30), 12, date(2026, 6, 1))  # fmt: skip


def test_csv_streams_rows_as_they_come():
    consumed: list = []
    chunks = exports.csv_stream(exports.BOARD_COLUMNS, _rows(10_000, consumed), ["h"] * 14)
    next(chunks)  # the header
    next(chunks)  # the first batch
    assert len(consumed) == exports.BATCH  # not the 10,000 rows
    assert sum(1 for _ in chunks) >= 10_000 // exports.BATCH - 1


def test_xlsx_rows_go_to_disk_as_they_come():
    """Write-only mode: memory stays flat with the rows (a normal openpyxl workbook of
    these 2,000 rows peaks near 6 MB; tracemalloc is slow, hence not 10,000)."""
    tracemalloc.start()
    try:
        chunks = exports.xlsx_stream(exports.BOARD_COLUMNS, _rows(2_000, []), "x", ["h"] * 14)
        data = b"".join(chunks)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == 2_001
