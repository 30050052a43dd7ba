"""The demo innovator writes the KIPP summary past its 200-word limit, sees the counter
turn red and the checklist item fail, shortens it, attaches the team decree and downloads
the entry as a DOCX."""

import re

import docx
from playwright.sync_api import expect
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import Innovation
from tests.e2e.conftest import log_in
from tests.pages import INNOVATION

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _words(n: int) -> str:
    return " ".join(["anak-anak"] + ["antrean"] * (n - 1))


def test_innovator_fixes_an_overlong_summary_attaches_the_decree_and_exports(page, live_server):
    with live_server.app.app_context():
        innovation_id = db.session.scalar(
            select(Innovation.id).where(Innovation.title == INNOVATION)
        )
    log_in(page, "innovator@example.org")
    page.goto(f"/innovations/{innovation_id}")
    page.get_by_role("link", name="Competition entries (KIPP)").click()
    page.get_by_role("link", name=re.compile("KIPP – Kelompok Umum")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("KIPP")

    summary = page.get_by_role("textbox", name="Summary", exact=True)
    section = page.locator("section.entry-section").first
    counter = section.locator(".word-count")
    checklist = page.locator("#checklist")

    summary.fill(_words(205))
    expect(counter).to_have_class(re.compile(r"\btext-danger\b"))
    expect(counter).to_contain_text("205 / 200 words")
    expect(counter).to_contain_text("5 words over the limit")
    expect(section.locator(".save-status")).to_contain_text("Saved at")
    over = checklist.locator('[data-item="section_too_long"]')
    expect(over).to_have_attribute("data-ok", "0")
    expect(over).to_contain_text("Summary: 205 words, over the limit of 200")

    summary.fill(_words(180))
    expect(counter).not_to_have_class(re.compile(r"\btext-danger\b"))
    expect(counter).to_contain_text("180 / 200 words")
    expect(checklist.locator('[data-item="section_too_long"]')).to_have_count(0)
    expect(checklist).to_contain_text("Summary: 180 of 200 words")

    decree = checklist.locator('[data-item="document"]')
    expect(decree).to_have_attribute("data-ok", "0")
    upload = page.get_by_role("region", name="Attach a document")
    upload.get_by_label("File").set_input_files(
        {"name": "SK Tim Inovasi.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    upload.get_by_label("Kind of document").select_option(label="Decree (SK) naming the team")
    upload.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("The document has been attached")).to_be_visible()
    expect(checklist.locator('[data-item="document"]')).to_have_attribute("data-ok", "1")

    # The server kept the text as written: a reload shows it and its count.
    page.reload()
    expect(page.get_by_role("textbox", name="Summary", exact=True)).to_have_value(_words(180))
    expect(page.locator("section.entry-section").first.locator(".word-count")).to_contain_text(
        "180 / 200 words"
    )

    # The DOCX carries the summary exactly as written, and the decree among its attachments.
    with page.expect_download() as info:
        page.get_by_role("link", name="Download DOCX").click()
    document = docx.Document(info.value.path())
    paragraphs = [p.text for p in document.paragraphs]
    assert _words(180) in paragraphs
    assert any("SK Tim Inovasi" in p for p in paragraphs), paragraphs


SAMPLES = [
    "# Latar Belakang\n\n**Masalah** utama: _antrean_ panjang.",
    "- satu\n- dua\n* tiga\n1. empat\n2) lima",
    "Lihat [laporan tahunan](https://example.org/laporan.pdf) atau https://x.id",
    "Pada 2023 — sebanyak 1.250 warga; kupu-kupu dan/atau «pelayanan» publik!",
]


def test_the_browser_counts_words_as_the_server_does(page, live_server):
    """The live counter (static/js/word-count.js) and count_words agree on Markdown."""
    from incubator.pipeline.words import count_words

    with live_server.app.app_context():
        innovation_id = db.session.scalar(
            select(Innovation.id).where(Innovation.title == INNOVATION)
        )
    log_in(page, "innovator@example.org")
    page.goto(f"/innovations/{innovation_id}/competitions")
    page.get_by_role("link", name=re.compile("KIPP – Kelompok Umum")).click()
    background = page.locator("section.entry-section").nth(1)  # no word limit
    for sample in SAMPLES:
        background.locator("textarea").fill(sample)
        n = count_words(sample)
        expect(background.locator(".word-count")).to_have_text(f"{n} words")
