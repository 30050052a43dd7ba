"""The demo innovator finishes a milestone from "My innovations", with and without
JavaScript, and still sees it done after a reload."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in


def _finish_first_open_milestone(page) -> str:
    """Set the first open milestone to 100 % with a note; returns its element id."""
    page.get_by_role("link", name="My innovations").click()
    todo = page.get_by_role("region", name="Milestones to work on")
    card = todo.locator("li.milestone").first
    card_id = card.get_attribute("id")
    card.get_by_text("Update progress").click()  # the form opens on demand
    card.get_by_label("Progress (%)", exact=True).fill("100")
    card.get_by_label("Note", exact=True).fill("Pilot finished in all three clinics")
    card.get_by_label("Evidence link", exact=True).fill("https://example.org/report.pdf")
    card.get_by_role("button", name="Save progress").click()
    return card_id


def test_innovator_completes_a_milestone_inline(page):
    log_in(page, "innovator@example.org")
    card_id = _finish_first_open_milestone(page)

    card = page.locator(f"#{card_id}")
    expect(card.get_by_role("status")).to_have_text("Progress saved.")  # swapped in by htmx
    expect(card.locator('[data-status="done"]')).to_have_text("Done")
    expect(page).to_have_url(re.compile(r"/my/innovations$"))  # updated in place

    page.reload()
    done = page.get_by_role("region", name="Done in the last 30 days")
    expect(done.locator(f"#{card_id}")).to_be_visible()
    expect(done.locator(f'#{card_id} [data-status="done"]')).to_have_text("Done")
    expect(
        page.get_by_role("region", name="Milestones to work on").locator(f"#{card_id}")
    ).to_have_count(0)

    # The milestone's own page tells the story: who moved it to 100 %, with the note.
    done.locator(f"#{card_id} h4 a").click()
    expect(page.get_by_text("Pilot finished in all three clinics")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")

    # And the innovation's History tab (swapped in by htmx) has it on the timeline.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").last.click()
    page.get_by_role("link", name="History").click()
    expect(page).to_have_url(re.compile(r"\?tab=history$"))
    expect(page.locator(".timeline")).to_contain_text("Yohanes Ndolu completed the milestone")


def test_progress_form_works_without_javascript(browser, live_server):
    context = browser.new_context(
        locale="en-US", base_url=live_server.url, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, "innovator@example.org")
        card_id = _finish_first_open_milestone(page)

        expect(page.locator("#flashes")).to_contain_text("Progress saved.")
        page.reload()
        done = page.get_by_role("region", name="Done in the last 30 days")
        expect(done.locator(f'#{card_id} [data-status="done"]')).to_have_text("Done")
    finally:
        context.close()
