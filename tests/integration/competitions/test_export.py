"""The entry as DOCX, as plain text for SINOVIK and as a printable page: the text exactly as
written (Indonesian punctuation, lists, line breaks), word counts, attachments with their
links, and nothing of the review."""

import io

import docx
import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import DocumentKind, EntrySection, entry_section_documents
from tests import factories

from .conftest import add_document

# What a team writes: Indonesian punctuation, a bulleted and a numbered list, line breaks.
WRITTEN = (
    "Antrean **panjang** di Puskesmas—rata-rata 3 jam; warga “mengeluh” (±40%)!\n"
    "Biaya: Rp 1.500.000,- per tahun…\n"
    "\n"
    "- anak-anak *dan* lansia;\n"
    "- ibu hamil: prioritas\n"
    "\n"
    "1. Daftar daring\n"
    "2. Datang tepat waktu\n"
    "\n"
    "Apa hasilnya? Waktu tunggu turun."
)
# ... and what SINOVIK gets: emphasis dropped, lists as "- " lines, every line break kept.
PLAIN = (
    "Antrean panjang di Puskesmas—rata-rata 3 jam; warga “mengeluh” (±40%)!\n"
    "Biaya: Rp 1.500.000,- per tahun…\n"
    "\n"
    "- anak-anak dan lansia;\n"
    "- ibu hamil: prioritas\n"
    "\n"
    "1. Daftar daring\n"
    "2. Datang tepat waktu\n"
    "\n"
    "Apa hasilnya? Waktu tunggu turun."
)
SECRET = "CATATAN-PENDAMPING-RAHASIA"


@pytest.fixture
def written(world, entry):
    """The background section written as above, with a supporting document linked; the
    summary short; a mentor's comment (with a reply) and scores on both."""
    summary, background = sorted(
        db.session.scalars(select(EntrySection).where(EntrySection.entry_id == entry.id)),
        key=lambda r: r.section_id,
    )
    summary.text = "Sistem antrean daring untuk Puskesmas."
    background.text = WRITTEN
    evidence = add_document(world.innovation, title="Laporan survei 2025")
    add_document(world.innovation, kind=DocumentKind.TEAM_DECREE, title="SK Tim Inovasi")
    db.session.execute(
        entry_section_documents.insert().values(
            entry_section_id=background.id, document_id=evidence.id
        )
    )
    entry.video_url = "https://www.youtube.com/watch?v=abc123"
    db.session.commit()
    from incubator.pipeline import entry_review

    comment = entry_review.comment_on_section(background, author=world.mentor, body=SECRET)
    entry_review.reply_to_comment(comment, author=world.innovator, body=SECRET + " balasan")
    entry_review.score_section(background, mentor=world.mentor, score=3)
    entry_review.score_section(summary, mentor=world.mentor, score=4)
    db.session.commit()
    return evidence


def docx_sections(data: bytes) -> dict[str, list[tuple[str, str]]]:
    """The document read back with python-docx: for each section heading, its paragraphs
    (style, text)."""
    document = docx.Document(io.BytesIO(data))
    found: dict[str, list] = {}
    current = None
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 1":
            current = found.setdefault(paragraph.text, [])
        elif current is not None:
            current.append((paragraph.style.name, paragraph.text))
    return found


def as_plain(paragraphs) -> str:
    """Paragraphs of a DOCX section back to SINOVIK's text: Word bullets are "- " lines."""
    lines, previous_list = [], None
    for style, text in paragraphs:
        is_list = style.startswith("List Bullet") or text[:3] in ("1. ", "2. ")
        if lines:
            lines.append(
                "\n" if is_list and previous_list == (style[:4], text[:1].isdigit()) else "\n\n"
            )
        lines.append(("- " + text) if style.startswith("List Bullet") else text)
        previous_list = (style[:4], text[:1].isdigit()) if is_list else None
    return "".join(lines)


def test_the_docx_round_trips_the_written_text_without_the_review(as_, world, entry, written):
    response = as_(world.innovator).get(f"/entries/{entry.id}/export.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert ".docx" in response.headers["Content-Disposition"]
    data = response.get_data()
    sections = docx_sections(data)
    assert list(sections)[:2] == ["1. Ringkasan", "2. Latar Belakang"]
    background = sections["2. Latar Belakang"]
    # The word count first, then the text exactly as SINOVIK takes it, then the attachments.
    count = background[0][1]
    assert count == "30 words"
    text_part = [p for p in background[1:] if not p[1].startswith(("Attachments", "Laporan"))]
    assert as_plain(text_part) == PLAIN
    assert ("Normal", PLAIN.split("\n\n")[0]) in text_part  # a line break inside a paragraph
    assert ("List Bullet", "anak-anak dan lansia;") in text_part
    assert any(
        t.startswith("Laporan survei 2025: http") and t.endswith(f"/documents/{written.id}")
        for _, t in background
    )
    everything = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "SK Tim Inovasi: http" in everything
    assert "https://www.youtube.com/watch?v=abc123" in everything
    assert SECRET not in everything and "estimate" not in everything.lower()
    assert b"CATATAN" not in data


def test_the_text_for_sinovik_is_exactly_what_was_written(as_, world, entry, written):
    client = as_(world.innovator)
    text = client.get(f"/entries/{entry.id}/export.txt")
    assert text.status_code == 200 and text.mimetype == "text/plain"
    body = text.get_data(as_text=True)
    assert (
        f"2. Latar Belakang\n(30 words)\n\n{PLAIN}\n\nAttachments:\n- Laporan survei 2025: " in body
    )
    assert "1. Ringkasan\n(5 of 20 words)\n\nSistem antrean daring untuk Puskesmas." in body
    assert SECRET not in body

    page = client.get(f"/entries/{entry.id}/sinovik")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    # One box per section to copy from, holding the plain text (HTML-escaped only).
    assert "- anak-anak dan lansia;\n- ibu hamil: prioritas" in html
    assert "<strong>" not in html.split("sinovik-text")[1]
    assert SECRET not in html and "Mentors" not in html


def test_the_printable_page_shows_the_entry_and_not_the_review(as_, world, entry, written):
    page = as_(world.coordinator).get(f"/entries/{entry.id}/print")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<strong>panjang</strong>" in html and "30 words" in html
    assert "Laporan survei 2025" in html and "SK Tim Inovasi" in html
    assert SECRET not in html and "estimate" not in html.lower()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("mentor", 200),
        ("coordinator", 200),
        ("other_innovator", 404),
        ("other_mentor", 404),
        ("foreign_coordinator", 404),
    ],
)
def test_who_may_export(as_, world, entry, who, status):
    client = as_(getattr(world, who))
    for path in ("export.docx", "export.txt", "sinovik", "print"):
        assert client.get(f"/entries/{entry.id}/{path}").status_code == status, path


def test_an_empty_entry_exports_too(as_, world, competition):
    entry = factories.make_entry(world.innovation, competition, by=world.innovator)
    for section in db.session.scalars(
        select(EntrySection).where(EntrySection.entry_id == entry.id)
    ):
        section.text = ""
    db.session.commit()
    client = as_(world.innovator)
    data = client.get(f"/entries/{entry.id}/export.docx").get_data()
    assert list(docx_sections(data)) == ["1. Ringkasan", "2. Latar Belakang"]
    assert "(0 of 20 words)" in client.get(f"/entries/{entry.id}/export.txt").get_data(as_text=True)
