"""Zoom, touch and colour: 200 % zoom at 1440x900 without horizontal scrolling, 44x44 px
touch targets for the main controls on a phone, and status that is written, not only
coloured. Screenshots of the daily pages land in test-results/screens/ to look at."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.marks import sqlite_only
from tests.pages import INN, PAGES, C, M

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screens"
BY_KEY = {page.key: page for page in PAGES}
TOUCH = 44


def no_horizontal_scroll(page) -> str:
    return page.evaluate(
        """() => {
          const doc = document.documentElement;
          if (doc.scrollWidth <= doc.clientWidth) return "";
          const wide = [...document.querySelectorAll("body *")].filter(
            (el) => el.getBoundingClientRect().right > doc.clientWidth + 1
              && !el.closest(".table-responsive, .offcanvas, .modal, .visually-hidden"));
          return `page is ${doc.scrollWidth}px wide in ${doc.clientWidth}px: `
            + wide.slice(0, 3).map((el) => el.outerHTML.slice(0, 100)).join(" | ");
        }"""
    )


ZOOMED = [
    ("board.board", C, None, "zoom200"),
    ("board.board", C, None, "zoom200_1536"),
    ("board.board swimlanes", C, None, "zoom200"),
    ("board.board swimlanes", C, None, "zoom200_1536"),
    ("board.board", C, "move", "zoom200"),
    ("innovations.create", C, None, "zoom200"),
    ("innovations.mine", INN, None, "zoom200"),
    ("mentoring.feedback_page", M, None, "zoom200"),
    ("mentoring.assessments", M, None, "zoom200"),
    ("auth.password", INN, None, "zoom200"),
    ("competitions.entry", INN, None, "zoom200"),
    ("competitions.programme_entries", C, None, "zoom200"),
    ("competitions.edit_template", C, None, "zoom200"),
]


@pytest.mark.e2e
@pytest.mark.parametrize(("key", "role", "state", "size"), ZOOMED)
def test_200_percent_zoom_needs_no_horizontal_scrolling(screens, key, role, state, size):
    page = screens.tab(role, "id", size)
    page.goto(screens.url(BY_KEY[key]))
    if state == "move":
        page.locator(".board-list > li > button").first.click()
        expect(page.get_by_role("dialog").locator("#move-stage")).to_be_focused()
    assert page.evaluate("window.devicePixelRatio") == 2
    problem = no_horizontal_scroll(page)
    assert not problem, problem


def box_of(locator) -> dict:
    locator.scroll_into_view_if_needed()
    return locator.bounding_box()


@pytest.mark.e2e
def test_main_controls_are_44_pixels_on_a_phone(screens):
    measured = {}
    page = screens.tab(C, "id", "phone")
    page.goto(screens.url(BY_KEY["board.board"]))
    measured["Move"] = box_of(page.locator(".board-list > li > button").first)
    for tab in page.locator(".board-tab").all():
        measured[f"tab {tab.inner_text()}"] = box_of(tab)
    measured["Filters"] = box_of(page.locator(".board-filters-toggle"))

    page = screens.tab(INN, "id", "phone")
    page.goto(screens.url(BY_KEY["innovations.mine"]))
    opener = page.locator("details.progress-edit > summary").first
    measured["Update progress"] = box_of(opener)
    opener.click()  # the form opens on demand
    measured["Save progress"] = box_of(page.locator(".progress-form [type=submit]").first)

    page = screens.tab(M, "id", "phone")
    page.goto(screens.url(BY_KEY["mentoring.feedback_page"]))
    measured["Send feedback"] = box_of(page.locator("[id^=send-feedback-]"))

    assert len(measured) == 8
    small = {
        name: (round(box["width"]), round(box["height"]))
        for name, box in measured.items()
        if box["width"] < TOUCH or box["height"] < TOUCH
    }
    assert not small, f"smaller than {TOUCH}x{TOUCH} px: {small}"


@pytest.mark.e2e
def test_phone_board_shows_one_stage_picked_with_tabs_and_folds_the_filters(screens):
    page = screens.tab(C, "en", "phone")
    page.goto(screens.url(BY_KEY["board.board"]))
    expect(page.locator("#board-filters")).to_be_hidden()
    toggle = page.get_by_role("button", name="Filters")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(page.get_by_label("Search titles")).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")

    columns = page.locator(".board-column")
    expect(columns.filter(has_text="Creation").first).to_be_visible()
    expect(page.locator("#column-development")).to_be_hidden()
    tab = page.locator("#tab-development")
    tab.click()
    expect(tab).to_have_attribute("aria-current", "true")
    expect(page.locator("#column-development")).to_be_visible()
    expect(page.locator("#column-creation")).to_be_hidden()
    assert not no_horizontal_scroll(page)


@pytest.mark.e2e
def test_status_is_written_not_only_coloured(screens):
    """Overdue, done, due and attention markers all carry words beside their colour."""
    checks = [
        (C, "board.board", ".board-list > li:has(mark)", "Overdue"),
        (INN, "innovations.mine", ".milestone--overdue", "Overdue"),
        (INN, "innovations.mine", ".milestone--done", "Done"),
        (C, "innovations.detail milestones", ".milestone--done", "Done"),
        (M, "mentoring.mentees", ".mentee.border-warning .attention", re.compile(r"\w")),
    ]
    for role, key, selector, words in checks:
        page = screens.tab(role, "en")
        page.goto(screens.url(BY_KEY[key]))
        marked = page.locator(selector)
        assert marked.count() > 0, (key, selector)
        for element in marked.all():
            expect(element).to_contain_text(words)


@pytest.mark.e2e
@sqlite_only
def test_over_the_wip_limit_is_written(page):
    log_in(page, "coordinator@example.org")
    board = page.url
    page.goto(board.replace("/board", "/settings/board"))
    page.get_by_label("Creation").fill("1")
    page.locator("main form [type=submit]").click()
    page.goto(board)
    head = page.locator("#head-creation")
    expect(head.locator(".board-wip")).to_contain_text("WIP")
    expect(head.get_by_role("status")).to_contain_text("Over the WIP limit of 1")


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_screenshots_of_the_daily_pages(screens, lang, size):
    """Not an assertion of looks: pictures to open after a change (test-results/screens/)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for key, role in [
        ("board.board", C),
        ("innovations.mine", INN),
        ("innovations.detail", INN),
        ("mentoring.mentees", M),
    ]:
        page = screens.tab(role, lang, size)
        page.goto(screens.url(BY_KEY[key]))
        page.screenshot(path=SHOTS / f"{key}-{lang}-{size}.png")
    page = screens.tab(C, lang, size)
    page.goto(screens.url(BY_KEY["board.board"]))
    page.locator(".board-list > li > button").first.click()
    expect(page.get_by_role("dialog").locator("#move-stage")).to_be_focused()
    page.wait_for_timeout(400)
    page.screenshot(path=SHOTS / f"board.move-{lang}-{size}.png")
