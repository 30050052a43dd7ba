"""Issue 4's joint story: the innovator finishes a milestone, then the mentor sees it
done on the innovation page and leaves feedback on it, which survives a reload."""

from playwright.sync_api import expect

from tests.e2e.conftest import log_in

INNOVATION_ID = 1  # demo: "Sistem Antrian Puskesmas Online", innovator's, mentor's mentee
MILESTONE = "Rancangan inovasi dan rencana aksi"  # demo: the second creation template


def _milestone(page):
    page.goto(f"/innovations/{INNOVATION_ID}?tab=milestones")
    return page.locator("li.milestone").filter(has_text=MILESTONE)


def test_innovator_finishes_then_mentor_sees_it_and_gives_feedback(browser, live_server):
    innovator = browser.new_context(locale="en-US", base_url=live_server.url)
    mentor = browser.new_context(locale="en-US", base_url=live_server.url)
    try:
        page = innovator.new_page()
        log_in(page, "innovator@example.org")
        card = _milestone(page)
        card.get_by_label("Progress (%)", exact=True).fill("100")
        card.get_by_label("Note", exact=True).fill("Versi pertama sudah dipakai di loket")
        card.get_by_role("button", name="Save progress").click()
        expect(card.locator('[data-status="done"]')).to_have_text("Done")

        page = mentor.new_page()
        log_in(page, "mentor@example.org")
        card = _milestone(page)
        expect(card.locator('[data-status="done"]')).to_have_text("Done")
        expect(card.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")

        card.get_by_text("Leave feedback on this milestone").click()
        card.get_by_label("Feedback").fill("Great work, now **measure waiting times**.")
        card.get_by_role("button", name="Send feedback").click()
        expect(card.locator(".feedback-body strong")).to_have_text("measure waiting times")

        page.reload()
        card = page.locator("li.milestone").filter(has_text=MILESTONE)
        expect(card.locator(".feedback-body strong")).to_have_text("measure waiting times")
    finally:
        innovator.close()
        mentor.close()
