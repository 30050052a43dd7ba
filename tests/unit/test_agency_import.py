"""The agency import's reading and checking, on plain data: every row's status or problem."""

import io

import pytest
from openpyxl import Workbook

from incubator.models import Region
from incubator.pipeline import DomainError
from incubator.pipeline.agency_import import (
    HEADER_WORDS,
    RegionIndex,
    RowStatus,
    check_rows,
    region_code,
)
from incubator.pipeline.tables import MAX_ROWS, read_table

NTT = Region(id=1, code="53", name="Nusa Tenggara Timur", kind="province")
KAB_KUPANG = Region(id=2, code="53.01", name="Kabupaten Kupang", kind="regency", parent_id=1)
BELU = Region(id=3, code="53.04", name="Kabupaten Belu", kind="regency", parent_id=1)
MANGGARAI = Region(id=4, code="53.10", name="Kabupaten Manggarai", kind="regency", parent_id=1)
KOTA_KUPANG = Region(id=5, code="53.71", name="Kota Kupang", kind="city", parent_id=1)
ALOR = Region(id=6, code="53.05", name="Kabupaten Alor", kind="regency", parent_id=1)
# Alor is in the province but not ticked for the programme.
INDEX = RegionIndex(NTT, [KAB_KUPANG, BELU, MANGGARAI, KOTA_KUPANG, ALOR], {1, 2, 3, 4, 5})


def _check(text: str, existing=None, participants=()):
    rows = read_table("agencies.csv", text.encode(), header_words=HEADER_WORDS)
    return check_rows(rows, INDEX, existing or {}, set(participants))


def test_a_good_file_gives_each_row_its_status():
    preview = _check(
        "Nama OPD,Kode wilayah\n"
        "Dinas Kesehatan,53.71\n"
        "Bappeda,Kabupaten Kupang\n"
        "Dinas Pendidikan , kab. belu \n"
        "Dinas Sosial,Nusa Tenggara Timur\n",
        existing={(2, "bappeda"): 40, (3, "dinas pendidikan"): 41},
        participants={41},
    )
    assert [(r.number, r.name, r.region and r.region.code, r.status) for r in preview.rows] == [
        (2, "Dinas Kesehatan", "53.71", RowStatus.NEW),
        (3, "Bappeda", "53.01", RowStatus.EXISTS),
        (4, "Dinas Pendidikan", "53.04", RowStatus.PARTICIPATING),
        (5, "Dinas Sosial", "53", RowStatus.NEW),
    ]
    assert not preview.errors
    assert preview.rows[1].agency_id == 40


def test_a_bad_file_names_each_row_and_its_problem():
    preview = _check(
        "Dinas Kesehatan,Kupang\n"  # 1: Kota or Kabupaten?
        ",53.04\n"  # 2: no name
        "Dinas Sosial,Atlantis\n"  # 3: unknown
        "Dinas Sosial,\n"  # 4: no region
        "Bappeda,53.04\n"  # 5: fine
        "bappeda , Kabupaten Belu\n"  # 6: the same as row 5
        "Dinas Pariwisata,53.05\n"  # 7: Alor is not ticked
        "Dinas Perikanan,31.71\n"  # 8: a code of another province
    )
    problems = {r.number: str(r.problem) for r in preview.errors}
    assert sorted(problems) == [1, 2, 3, 4, 6, 7, 8]
    assert "Kabupaten Kupang (53.01)" in problems[1] and "Kota Kupang (53.71)" in problems[1]
    assert problems[2] == "The agency name is empty."
    assert "Atlantis" in problems[3] and "Nusa Tenggara Timur" in problems[3]
    assert problems[4] == "The region is empty."
    assert problems[6] == "The same agency as row 5."
    assert "Kabupaten Alor" in problems[7] and "tick" in problems[7]
    assert "31.71" in problems[8]
    assert preview.rows[4].status == RowStatus.NEW


def test_a_name_longer_than_the_column_is_a_problem():
    preview = _check(f"{'x' * 201},53.04\n")
    assert "200" in str(preview.errors[0].problem)


@pytest.mark.parametrize(
    ("text", "code"),
    [("53", "53"), ("53.71", "53.71"), ("53.1", "53.10"), ("5371", None), ("Kupang", None)],
)
def test_region_codes_as_spreadsheets_write_them(text, code):
    assert region_code(text) == code


def test_semicolons_and_a_windows_encoding_are_read():
    rows = read_table("a.csv", b"Dinas Kesehatan;Kota Kupang\nDinas Pariwisata;Belu\n")
    assert [r.cells for r in rows] == [
        ("Dinas Kesehatan", "Kota Kupang"),
        ("Dinas Pariwisata", "Belu"),
    ]
    rows = read_table("a.csv", "Dinas Pemuda – Olahraga,Kota Kupang\n".encode("cp1252"))
    assert rows[0].cells[0] == "Dinas Pemuda – Olahraga"


def test_xlsx_rows_keep_their_spreadsheet_numbers():
    book = Workbook()
    sheet = book.active
    sheet.append(["Agency", "Region"])
    sheet.append(["Dinas Kesehatan", 53.71])
    sheet.append([None, None])
    sheet.append(["Bappeda", 53.1])  # Excel shows 53.10 as 53.1
    data = io.BytesIO()
    book.save(data)
    rows = read_table("agencies.xlsx", data.getvalue(), header_words=HEADER_WORDS)
    preview = check_rows(rows, INDEX, {}, set())
    assert [(r.number, r.region.code) for r in preview.rows] == [(2, "53.71"), (4, "53.10")]


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("agencies.txt", b"a,b", "Upload a CSV or XLSX file."),
        ("agencies.csv", b"", "The file has no rows."),
        ("agencies.csv", b"Agency,Region\n", "The file has no rows."),
        ("agencies.xlsx", b"not a zip", "The XLSX file cannot be read."),
        ("agencies.csv", b"\x00\x01\x02", "This is not a CSV file."),
        ("agencies.csv", b"a,53\n" * (MAX_ROWS + 1), f"At most {MAX_ROWS} rows at a time."),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(filename, data, message):
    with pytest.raises(DomainError) as raised:
        read_table(filename, data, header_words=HEADER_WORDS)
    assert str(raised.value) == message and raised.value.field == "file"
