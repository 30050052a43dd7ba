"""In the browser: the demo mentor scores a section and comments on it (the weighted
estimate updates at the top), the innovator replies, marks the comment resolved and
downloads the DOCX, which holds the text and none of the review."""

import re

import docx
from playwright.sync_api import expect
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import CompetitionEntry, Innovation
from tests.e2e.conftest import log_in
from tests.pages import INNOVATION


def _entry_id(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(CompetitionEntry.id)
            .join(Innovation, Innovation.id == CompetitionEntry.innovation_id)
            .where(Innovation.title == INNOVATION)
            .order_by(CompetitionEntry.id)
        )


def test_a_mentor_reviews_and_the_team_resolves_and_exports(page, live_server):
    entry_id = _entry_id(live_server.app)
    log_in(page, "mentor@example.org")
    page.goto(f"/entries/{entry_id}")
    # The background section (10%): the summary weighs 0% in KIPP 2023.
    background = page.locator("section.entry-section").nth(1)
    review = background.locator(".entry-review")
    review.get_by_text("4", exact=True).click()  # the radio's label
    review.get_by_role("button", name=re.compile("Save score")).click()
    expect(background.locator(".entry-review").get_by_role("status")).to_contain_text(
        "Score saved."
    )
    expect(page.locator("#estimate")).to_contain_text("weighted estimate: 4.0 of 5")
    summary = page.locator("section.entry-section").first
    review = summary.locator(".entry-review")
    review.get_by_label("Comment").fill("Sebutkan **berapa lama** warga menunggu.")
    review.get_by_role("button", name=re.compile("Send comment")).click()
    expect(summary.locator(".review-comment")).to_contain_text("berapa lama")
    expect(summary.locator(".review-comment strong", has_text="berapa lama")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, "innovator@example.org")
    page.goto(f"/entries/{entry_id}")
    summary = page.locator("section.entry-section").first
    comment = summary.locator(".review-comment").last
    comment.locator("summary", has_text="Reply").click()
    comment.get_by_label("Reply").fill("Rata-rata 3 jam; sudah kami tambahkan.")
    comment.get_by_role("button", name="Send reply").click()
    comment = page.locator("section.entry-section").first.locator(".review-comment").last
    expect(comment).to_contain_text("Rata-rata 3 jam")
    comment.get_by_role("button", name=re.compile("Mark resolved")).click()
    expect(
        page.locator("section.entry-section").first.locator(".review-comment").last
    ).to_contain_text("Resolved")

    with page.expect_download() as info:
        page.get_by_role("link", name="Download DOCX").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    document = docx.Document(download.path())
    text = "\n".join(p.text for p in document.paragraphs)
    assert "1. Ringkasan" in text
    assert "berapa lama" not in text and "Rata-rata 3 jam" not in text
