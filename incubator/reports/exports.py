"""Board and milestone exports as CSV and XLSX, streamed row by row.

The rows come from one SELECT each (mentors, SDGs and milestone counts as
correlated aggregates), read with `yield_per`, so 10,000 innovations never sit in
memory at once. CSV: RFC 4180, comma, UTF-8 with a BOM. XLSX: openpyxl's write-only
mode (rows go to a temporary file as they come), header frozen, real dates.
Every cell that a spreadsheet would read as a formula is neutralised.
"""

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import aliased

from .. import labels
from ..extensions import db
from ..models import (
    Agency,
    Innovation,
    MentorAssignment,
    Milestone,
    ProgressUpdate,
    Region,
    Stage,
    User,
    innovation_sdgs,
)
from ..models.sql import as_text, group_text
from ..translating import lazy_gettext as _l

BATCH = 500
# A cell starting with one of these is a formula to Excel, LibreOffice or Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
KINDS = ("board", "milestones")
FORMATS = ("csv", "xlsx")


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    title: object  # a lazy string: translated when the header is written
    width: int
    is_date: bool = False


BOARD_COLUMNS = (
    Column(_l("Stage"), 18),
    Column(_l("State"), 14),
    Column(_l("Title"), 40),
    Column(_l("Owner"), 24),
    Column(_l("Agency"), 32),
    Column(_l("Region"), 22),
    Column(_l("SPM sector"), 24),
    Column(_l("SDG goals"), 14),
    Column(_l("Mentors"), 28),
    Column(_l("Milestones done"), 12),
    Column(_l("Milestones total"), 12),
    Column(_l("Next due date"), 14, is_date=True),
    Column(_l("Days in stage"), 12),
    Column(_l("Last progress date"), 16, is_date=True),
)

MILESTONE_COLUMNS = (
    Column(_l("Innovation"), 40),
    Column(_l("Stage"), 18),
    Column(_l("Milestone"), 40),
    Column(_l("Due date"), 14, is_date=True),
    Column(_l("Progress (%)"), 12),
    Column(_l("Done on"), 14, is_date=True),
    Column(_l("Owner"), 24),
)


def _day(value: datetime | date | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value


def names() -> dict:
    """The translated labels the rows use, read while the request (and its language) lasts."""
    return {
        "stage": {s.value: labels.label(labels.STAGE_LABELS, s) for s in Stage},
        "state": {k.value: str(v) for k, v in labels.STATE_LABELS.items()},
        "sector": {k.value: str(v) for k, v in labels.SPM_LABELS.items()},
    }


def board_rows(connection, clauses: list, now: datetime, names: dict) -> Iterator[tuple]:
    """One row per innovation matching `clauses` (the board's filters), stage order."""
    owner = aliased(User)
    mentor = aliased(User)
    mentors = (
        select(group_text(mentor.name, literal(", ")))
        .select_from(MentorAssignment)
        .join(mentor, mentor.id == MentorAssignment.mentor_id)
        .where(
            MentorAssignment.innovation_id == Innovation.id,
            MentorAssignment.unassigned_at.is_(None),
        )
        .scalar_subquery()
    )
    sdgs = (
        select(group_text(as_text(innovation_sdgs.c.goal), literal(", ")))
        .where(innovation_sdgs.c.innovation_id == Innovation.id)
        .scalar_subquery()
    )
    of_stage = (Milestone.innovation_id == Innovation.id, Milestone.stage == Innovation.stage)
    done = select(func.count(Milestone.done_at)).where(*of_stage).scalar_subquery()
    total = select(func.count(Milestone.id)).where(*of_stage).scalar_subquery()
    next_due = (
        select(func.min(Milestone.due_date))
        .where(Milestone.innovation_id == Innovation.id, Milestone.done_at.is_(None))
        .scalar_subquery()
    )
    last_progress = (
        select(func.max(ProgressUpdate.created_at))
        .join(Milestone, Milestone.id == ProgressUpdate.milestone_id)
        .where(Milestone.innovation_id == Innovation.id)
        .scalar_subquery()
    )
    stage_order = {stage.value: stage.index for stage in Stage}
    query = (
        select(
            Innovation.stage,
            Innovation.state,
            Innovation.title,
            owner.name,
            Agency.name,
            Region.name,
            Innovation.spm_sector,
            sdgs,
            mentors,
            done,
            total,
            next_due,
            Innovation.stage_entered_at,
            last_progress,
        )
        .outerjoin(owner, owner.id == Innovation.owner_id)
        .outerjoin(Agency, Agency.id == Innovation.agency_id)
        .outerjoin(Region, Region.id == Agency.region_id)
        .where(*clauses)
        .order_by(_stage_rank(stage_order), Innovation.position, Innovation.id)
        .execution_options(yield_per=BATCH)
    )
    stage_names, state_names, sector_names = names["stage"], names["state"], names["sector"]
    for row in connection.execute(query):
        (stage, state, title, owner_name, agency, region, sector, goals, mentor_names) = row[:9]
        done_count, total_count, due, entered, progressed = row[9:]
        yield (
            stage_names.get(stage, stage),
            state_names.get(state, state),
            title,
            owner_name or "",
            agency or "",
            region or "",
            sector_names.get(sector, "") if sector else "",
            _sorted_numbers(goals),
            mentor_names or "",
            done_count,
            total_count,
            due,
            max((now - entered).days, 0) if entered else None,
            _day(progressed),
        )


def milestone_rows(connection, clauses: list, names: dict) -> Iterator[tuple]:
    """Every milestone of the innovations matching `clauses`, by innovation then due date."""
    owner = aliased(User)
    stage_order = {stage.value: stage.index for stage in Stage}
    query = (
        select(
            Innovation.title,
            Milestone.stage,
            Milestone.title,
            Milestone.due_date,
            Milestone.progress,
            Milestone.done_at,
            owner.name,
        )
        .join(Innovation, Innovation.id == Milestone.innovation_id)
        .outerjoin(owner, owner.id == Milestone.owner_id)
        .where(*clauses)
        .order_by(
            Innovation.title,
            Innovation.id,
            _milestone_stage_rank(stage_order),
            Milestone.due_date,
            Milestone.id,
        )
        .execution_options(yield_per=BATCH)
    )
    stage_names = names["stage"]
    for innovation, stage, title, due, progress, done_at, owner_name in connection.execute(query):
        yield (
            innovation,
            stage_names.get(stage, stage),
            title,
            due,
            progress,
            _day(done_at),
            owner_name or "",
        )


def _stage_rank(order: dict):
    return case(order, value=Innovation.stage, else_=len(order))


def _milestone_stage_rank(order: dict):
    return case(order, value=Milestone.stage, else_=len(order))


def _sorted_numbers(text: str | None) -> str:
    if not text:
        return ""
    return ", ".join(str(n) for n in sorted(int(part) for part in text.split(",")))


# --- writers -------------------------------------------------------------------------


def csv_stream(columns: tuple[Column, ...], rows: Iterable[tuple], headers=None) -> Iterator[str]:
    """RFC 4180 text (CRLF, quotes doubled), a BOM first so Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    writer.writerow(headers or [str(column.title) for column in columns])
    yield "\ufeff" + flush()
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_value(value) for value in row])
        if count % BATCH == 0:
            yield flush()
    yield flush()


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def xlsx_stream(
    columns: tuple[Column, ...], rows: Iterable[tuple], sheet_title: str, headers=None
) -> Iterator[bytes]:
    """An XLSX workbook built in openpyxl's write-only mode, then read out in chunks."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    header = []
    for title in headers or [str(column.title) for column in columns]:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    date_columns = [i for i, column in enumerate(columns) if column.is_date]
    for row in rows:
        values = [neutralise(value) for value in row]
        for i in date_columns:
            if values[i] is not None:
                cell = WriteOnlyCell(sheet, value=values[i])
                cell.number_format = "yyyy-mm-dd"
                values[i] = cell
        sheet.append(values)
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook.save(path)
        with open(path, "rb") as file:
            while chunk := file.read(64 * 1024):
                yield chunk
    finally:
        os.unlink(path)


def export(kind: str, fmt: str, clauses: list, now: datetime, sheet_title: str):
    """(chunks, mimetype) for one export; `kind` in KINDS, `fmt` in FORMATS.

    The chunks are made after the view has returned: everything that needs the request
    (the language, the engine) is read now, and the rows on a connection of their own."""
    columns = BOARD_COLUMNS if kind == "board" else MILESTONE_COLUMNS
    headers = [str(column.title) for column in columns]
    translated = names()
    engine = db.engine  # no Flask context is needed below: a connection of its own

    def chunks():
        with engine.connect() as connection:
            if kind == "board":
                rows = board_rows(connection, clauses, now, translated)
            else:
                rows = milestone_rows(connection, clauses, translated)
            if fmt == "csv":
                for text in csv_stream(columns, rows, headers):
                    yield text.encode()
            else:
                yield from xlsx_stream(columns, rows, sheet_title, headers)

    if fmt == "csv":
        return chunks(), "text/csv; charset=utf-8"
    return chunks(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
