"""The daily screens fit a laptop and a phone: the board shows five cards a column above
the fold at 1440x900 and a card (or the stage tabs) on the first phone screen; "My
innovations" is grouped by innovation with forms on demand; the innovation page names
its mentors. Screenshots of each go to tests/e2e/screenshots/ (git-ignored) for people
to look at."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.screens import VIEWPORTS
from tests.pages import INN, PAGES, C

BY_KEY = {page.key: page for page in PAGES}
SHOTS = Path(__file__).parent / "screenshots"
LAPTOP = VIEWPORTS["laptop"]["viewport"]
PHONE = VIEWPORTS["phone"]["viewport"]


def shoot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png")


def above_the_fold(page, selector: str, height: int) -> int:
    """How many of the matching elements show whole within the first screen."""
    return page.evaluate(
        """([selector, height]) => [...document.querySelectorAll(selector)].filter(el => {
            const box = el.getBoundingClientRect();
            return box.width > 0 && box.top >= 0 && box.bottom <= height;
        }).length""",
        [selector, height],
    )


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_board_shows_five_cards_a_column_on_a_laptop(screens, lang):
    page = screens.tab(C, lang, "laptop")
    page.goto(screens.url(BY_KEY["board.board"]))
    expect(page.locator(".board-list > li").first).to_be_visible()
    shoot(page, f"board-laptop-{lang}")
    for stage in ("creation", "development", "institutionalisation"):
        total = page.locator(f"#column-{stage} .board-list > li").count()
        seen = above_the_fold(page, f"#column-{stage} .board-list > li", LAPTOP["height"])
        assert seen >= min(5, total), (stage, seen, total)
    # The compact card keeps what DESIGN 4a shows, and its Move control.
    card = page.locator("#column-creation .board-list > li").first
    expect(card.locator("abbr").first).to_be_visible()  # the owner's initials
    expect(card.locator(":scope > p > i")).to_be_visible()  # done/total and its bar
    expect(card.get_by_role("button")).to_be_visible()  # Move


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_first_phone_screen_shows_the_tabs_and_a_card(screens, lang):
    page = screens.tab(C, lang, "phone")
    page.goto(screens.url(BY_KEY["board.board"]))
    shoot(page, f"board-phone-{lang}")
    expect(page.locator("#board-filters")).to_be_hidden()  # behind one button
    assert above_the_fold(page, ".board-tab", PHONE["height"]) == 3
    assert above_the_fold(page, "#column-creation .board-list > li", PHONE["height"]) >= 1


@pytest.mark.e2e
@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_my_innovations_is_grouped_with_forms_on_demand(screens, size):
    page = screens.tab(INN, "id", size)
    page.goto(screens.url(BY_KEY["innovations.mine"]))
    shoot(page, f"mine-{size}-id")
    groups = page.locator(".mine-group")
    expect(groups.first).to_be_visible()
    assert above_the_fold(page, ".mine-group h3", VIEWPORTS[size]["viewport"]["height"]) >= 1
    expect(page.locator(".progress-form").first).to_be_hidden()  # no open forms
    first = groups.first.locator("details.progress-edit").first
    first.locator("summary").click()
    expect(first.locator(".progress-form")).to_be_visible()
    expect(first.get_by_label("Kemajuan (%)")).to_be_visible()
    shoot(page, f"mine-{size}-id-form-open")


@pytest.mark.e2e
@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_the_innovation_page_names_its_mentors(screens, size):
    page = screens.tab(C, "en", size)
    page.goto(screens.url(BY_KEY["innovations.detail"]))
    shoot(page, f"innovation-{size}-en")
    facts = page.locator(".innovation-facts")
    expect(facts.get_by_text("Mentors", exact=True)).to_be_visible()
    expect(facts.get_by_text("Agustina Seran")).to_be_visible()


@pytest.mark.e2e
def test_a_long_note_gets_a_counter_not_a_silent_cut(screens):
    page = screens.tab(INN, "en", "laptop")
    page.goto(screens.url(BY_KEY["innovations.mine"]))
    item = page.locator(".mine-group .milestone").first
    item.locator("details.progress-edit > summary").click()
    note = item.get_by_label("Note")
    note.fill("x" * 2500)
    assert len(note.input_value()) == 2500  # nothing cut off
    counter = item.locator(".text-counter").first
    expect(counter).to_contain_text("2500 of 2000 characters")
    expect(counter).to_contain_text("500 characters too many")
    item.get_by_role("button", name="Save progress").click()
    expect(item.get_by_text("Use at most 2000 characters.")).to_be_visible()
    shoot(page, "counter-laptop-en")
