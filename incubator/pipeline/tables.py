"""Reading an uploaded table (CSV or XLSX) into rows of text, for preview-then-confirm imports.

Shared by every bulk import (agencies, people): `read_table` turns the file into
`TableRow`s numbered as the spreadsheet numbers them, without a header row;
the import then checks each row and lists the problems before anything is written.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from ..translating import lazy_gettext as _l
from . import DomainError

MAX_ROWS = 2000
READ_LIMIT = MAX_ROWS + 1  # a header and the rows; one more says "too many"
EXTENSIONS = ("csv", "xlsx")


@dataclass(frozen=True)
class TableRow:
    number: int  # as the spreadsheet shows it (1 is the first line of the file)
    cells: tuple[str, ...]

    def cell(self, index: int) -> str:
        return self.cells[index] if index < len(self.cells) else ""


def extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def read_table(
    filename: str, data: bytes, *, header_words: frozenset[str] = frozenset()
) -> list[TableRow]:
    """The file's non-empty rows; the first is dropped when it is a header (any of its
    cells, lower-cased, is one of `header_words`). DomainError(field="file") when the
    file cannot be read."""
    kind = extension(filename)
    if kind not in EXTENSIONS:
        raise DomainError(_l("Upload a CSV or XLSX file."), field="file")
    rows = _read_xlsx(data) if kind == "xlsx" else _read_csv(data)
    rows = [r for r in rows if any(r.cells)]
    if rows and header_words & {c.lower() for c in rows[0].cells}:
        rows = rows[1:]
    if not rows:
        raise DomainError(_l("The file has no rows."), field="file")
    if len(rows) > MAX_ROWS:
        raise DomainError(_l("At most %(n)d rows at a time.", n=MAX_ROWS), field="file")
    return rows


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _read_csv(data: bytes) -> list[TableRow]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    if "\x00" in text:
        raise DomainError(_l("This is not a CSV file."), field="file")
    try:
        # Spreadsheets set to Indonesian write semicolons.
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = []
    try:
        for row in reader:
            rows.append(TableRow(reader.line_num, tuple(_clean(c) for c in row)))
            if len(rows) > READ_LIMIT:
                break
    except csv.Error as error:
        raise DomainError(_l("The CSV file cannot be read."), field="file") from error
    return rows


def _read_xlsx(data: bytes) -> list[TableRow]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise DomainError(_l("The XLSX file cannot be read."), field="file") from error
    rows = []
    try:
        for number, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            if any(c is not None for c in row):
                rows.append(TableRow(number, tuple(_clean(c) for c in row)))
            if len(rows) > READ_LIMIT:
                break
    finally:
        book.close()
    return rows
