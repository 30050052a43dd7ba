"""The demo mentor leaves feedback on a milestone and sees it rendered after reload."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in

INNOVATION = (
    "Sistem Antrian Puskesmas Online"  # demo: owned by the innovator, mentored by the mentor
)
MILESTONE = "Rumusan masalah dan data dasar"


def test_mentor_leaves_feedback_on_a_milestone(page):
    log_in(page, "mentor@example.org")
    page.get_by_role("link", name="My mentees").click()
    expect(page.get_by_role("heading", name="My mentees")).to_be_visible()
    page.get_by_role("link", name=f"Feedback {INNOVATION}").click()
    expect(page).to_have_url(re.compile(r"/innovations/\d+/feedback$"))

    milestone = page.get_by_role("article", name=MILESTONE)
    milestone.get_by_text("Leave feedback on this milestone").click()
    milestone.get_by_label("Feedback").fill(
        "Please add the **baseline data** and a [link](https://example.org/baseline).\n"
        "<script>document.title = 'hacked'</script>"
    )
    milestone.get_by_role("button", name="Send feedback").click()
    # htmx swaps the milestone's thread in place, with the new feedback rendered.
    expect(milestone.locator(".feedback-body strong")).to_have_text("baseline data")

    page.reload()
    milestone = page.get_by_role("article", name=MILESTONE)
    body = milestone.locator(".feedback-body").last
    expect(body.locator("strong")).to_have_text("baseline data")
    expect(body.get_by_role("link", name="link")).to_have_attribute("rel", "nofollow noopener")
    expect(body).to_contain_text("<script>")  # shown as text, never run
    expect(page).not_to_have_title("hacked")
    expect(milestone.get_by_text("Agustina Seran", exact=True)).to_be_visible()
    expect(milestone.get_by_role("link", name="Edit feedback by Agustina Seran")).to_be_visible()


def test_validation_error_shows_next_to_the_field(page):
    log_in(page, "mentor@example.org")
    page.get_by_role("link", name="My mentees").click()
    page.get_by_role("link", name=f"Feedback {INNOVATION}").click()
    thread = page.locator(".feedback-thread").first
    thread.get_by_role("button", name="Send feedback").click()
    expect(thread.get_by_text("Write something first.")).to_be_visible()
    expect(thread.get_by_label("Feedback")).to_have_attribute("aria-invalid", "true")


def test_innovator_replies_and_edits_the_reply_inline(page):
    log_in(page, "innovator@example.org")
    page.goto("/innovations/1/feedback")  # the demo innovator's first innovation
    expect(page.get_by_role("heading", name=f"Feedback: {INNOVATION}")).to_be_visible()
    item = page.locator(".feedback-item").first
    expect(item).to_contain_text("data dasar")
    item.locator("summary", has_text="Reply").click()
    item.get_by_label("Reply").fill("Sudah kami lengkapi.")
    item.get_by_role("button", name="Send reply").click()
    expect(item.locator(".feedback-replies")).to_contain_text("Sudah kami lengkapi.")

    item.get_by_role("link", name="Edit feedback by Yohanes Ndolu").click()
    editor = item.locator("textarea[name=body]").first
    expect(editor).to_have_value("Sudah kami lengkapi.")
    editor.fill("Sudah kami lengkapi, *lihat lampiran*.")
    item.get_by_role("button", name="Save changes").click()
    expect(item.locator(".feedback-replies em")).to_have_text("lihat lampiran")
    expect(item).to_contain_text("(edited)")
