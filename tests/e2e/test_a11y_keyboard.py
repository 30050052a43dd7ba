"""The three daily jobs with the keyboard alone, focus visible at every stop and put back
somewhere sensible after each dialog and htmx swap; outcomes and errors in live regions."""

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.keyboard import assert_focus_visible, tab_to

CREATION_CARD = "Sistem Antrian Puskesmas Online"  # demo: a required milestone still open
ROOT = Path(__file__).resolve().parents[2]


def card(page, list_id: str, title: str):
    return page.locator(f"#{list_id} > li").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


def keyboard_log_in(page, email: str) -> None:
    page.goto("/login")
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    assert_focus_visible(page)
    tab_to(page, page.get_by_label("Email"))
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type("incubator-demo")
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(r"/login"))


def test_coordinator_moves_a_card_past_a_gate_with_the_keyboard(page):
    keyboard_log_in(page, "coordinator@example.org")
    moving = card(page, "cards-creation", CREATION_CARD)
    tab_to(page, moving.get_by_role("button", name=re.compile("^Move")))
    page.keyboard.press("Enter")

    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Move to")).to_be_focused()
    assert_focus_visible(page)
    expect(dialog.get_by_label("Move to")).to_have_value("development")
    expect(dialog.locator("#move-gate")).to_contain_text("Uji coba pertama dilaksanakan")

    # Escape closes the dialog and focus goes back to the card's Move control.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(moving.get_by_role("button", name=re.compile("^Move"))).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog.get_by_label("Move to")).to_be_focused()

    # Forward past the gate without a reason: refused, focus on the field with the error.
    tab_to(page, dialog.get_by_role("button", name="Confirm move"))
    page.keyboard.press("Enter")
    reason = dialog.get_by_label("Reason")
    expect(reason).to_be_focused()
    expect(dialog.locator("#move-reason-error")).to_have_attribute("role", "alert")
    assert_focus_visible(page)
    page.keyboard.type("Pilot already serves three villages.")
    tab_to(page, dialog.get_by_role("button", name="Confirm move"))
    page.keyboard.press("Enter")

    expect(dialog).to_be_hidden()
    moved = card(page, "cards-development", CREATION_CARD)
    expect(moved).to_have_count(1)
    # The outcome is read out from a live region; focus follows the card.
    messages = page.locator("#board-messages")
    expect(messages).to_have_attribute("aria-live", "polite")
    expect(messages.get_by_role("status")).to_contain_text("moved to Development")
    expect(moved.get_by_role("button", name=re.compile("^Move"))).to_be_focused()
    assert_focus_visible(page)

    # The card panel, by keyboard: the history keeps the override; Escape comes back.
    page.keyboard.press("Shift+Tab")
    title_link = moved.get_by_role("link", name=CREATION_CARD)
    expect(title_link).to_be_focused()
    page.keyboard.press("Enter")
    panel = page.locator("#card-panel")
    expect(panel.get_by_role("tab", name="Overview")).to_be_visible()
    tab_to(page, panel.get_by_role("tab", name="Overview"))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(panel.get_by_role("tab", name="History")).to_be_focused()
    assert_focus_visible(page)
    expect(panel.get_by_role("tabpanel", name="History")).to_contain_text("gate overridden")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(title_link).to_be_focused()


def test_innovator_records_progress_with_a_note_with_the_keyboard(page):
    keyboard_log_in(page, "innovator@example.org")
    tab_to(page, page.get_by_role("link", name="My innovations"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My innovations")).to_be_visible()
    todo = page.get_by_role("region", name="Milestones to work on")
    milestone = todo.locator("li.milestone").first
    milestone_id = milestone.get_attribute("id")
    milestone = page.locator(f"#{milestone_id}")
    # The form opens on demand: Enter on its summary, then Tab into it.
    tab_to(page, milestone.locator("details.progress-edit > summary"))
    page.keyboard.press("Enter")
    progress = milestone.get_by_label("Progress (%)", exact=True)
    tab_to(page, progress)

    # Out of range first: the error is an alert, and focus stays on the field.
    page.keyboard.press("Control+A")
    page.keyboard.type("150")
    tab_to(page, milestone.get_by_role("button", name=re.compile("^Save progress")))
    page.keyboard.press("Enter")
    expect(progress).to_be_focused()
    expect(progress).to_have_attribute("aria-invalid", "true")
    expect(milestone.get_by_role("alert")).to_contain_text("0 to 100")
    assert_focus_visible(page)

    page.keyboard.press("Control+A")
    page.keyboard.type("60")
    page.keyboard.press("Tab")
    expect(milestone.get_by_label("Note", exact=True)).to_be_focused()
    page.keyboard.type("Survey done in two clinics")
    tab_to(page, milestone.get_by_role("button", name=re.compile("^Save progress")))
    page.keyboard.press("Enter")

    expect(milestone.get_by_role("status")).to_have_text("Progress saved.")
    expect(page.locator("#announcer")).to_have_text("Progress saved.")
    expect(page.locator("#announcer")).to_have_attribute("role", "status")
    expect(milestone.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "60")
    # The widget was swapped; focus is on its new Save button, not lost on the page.
    expect(milestone.get_by_role("button", name=re.compile("^Save progress"))).to_be_focused()
    assert_focus_visible(page)


def test_mentor_sends_feedback_with_the_keyboard(page):
    keyboard_log_in(page, "mentor@example.org")
    tab_to(page, page.get_by_role("link", name="My mentees"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My mentees")).to_be_visible()
    tab_to(page, page.get_by_role("link", name=f"Feedback {CREATION_CARD}"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/innovations/\d+/feedback$"))
    expect(page.get_by_role("heading", name=f"Feedback: {CREATION_CARD}")).to_be_visible()

    thread = page.locator(".feedback-thread").first
    send = thread.get_by_role("button", name="Send feedback")
    tab_to(page, send)
    page.keyboard.press("Enter")  # empty: refused
    body = thread.get_by_label("Feedback")
    expect(body).to_be_focused()
    expect(thread.get_by_role("alert")).to_contain_text("Write something first.")
    page.keyboard.type("Good progress. Please share the **survey forms**.")
    tab_to(page, send)
    page.keyboard.press("Enter")
    expect(thread.locator(".feedback-body strong").last).to_have_text("survey forms")
    expect(thread.get_by_role("status")).to_have_text("Feedback sent.")
    expect(page.locator("#announcer")).to_have_text("Feedback sent.")
    expect(send).to_be_focused()
    assert_focus_visible(page)

    # On a milestone the form is behind a disclosure, which closes after sending: focus
    # goes to the outcome, and Tab carries on from there.
    milestone = page.get_by_role("article", name="Rumusan masalah dan data dasar")
    tab_to(page, milestone.locator("summary"))
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(milestone.get_by_label("Feedback")).to_be_focused()
    page.keyboard.type("The problem statement reads well.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    notice = milestone.get_by_role("status")
    expect(notice).to_have_text("Feedback sent.")
    expect(notice).to_be_focused()


def test_a_stale_move_is_announced_as_an_alert(page):
    log_in(page, "coordinator@example.org")
    moving = card(page, "cards-creation", CREATION_CARD)
    moving.get_by_role("button", name=re.compile("^Move")).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Move to")).to_be_focused()
    # Meanwhile another tab moves the same card.
    other = page.context.new_page()
    other.goto(page.url)
    card(other, "cards-creation", CREATION_CARD).get_by_role("button").click()
    other.get_by_role("dialog").get_by_label("Reason").fill("Ready")
    other.get_by_role("dialog").get_by_role("button", name="Confirm move").click()
    expect(card(other, "cards-development", CREATION_CARD)).to_have_count(1)
    other.close()

    dialog.get_by_label("Reason").fill("Ready too")
    dialog.get_by_role("button", name="Confirm move").click()
    alert = page.locator("#board-messages").get_by_role("alert")
    expect(alert).to_contain_text("changed since the board was drawn")


def test_no_focus_outline_is_removed_without_a_replacement():
    css = (ROOT / "static" / "css" / "app.css").read_text()
    for rule in re.findall(r"[^{}]+\{[^}]*\}", css):
        if re.search(r"outline\s*:\s*(none|0)\b", rule):
            assert re.search(r"box-shadow|border", rule), f"focus ring removed: {rule.strip()}"
