"""The board in a real browser: drag with the mouse, move with the keyboard, both kept.

Every creation card of the demo data has an unfinished required milestone, so a
forward drag meets the stage gate: the dialog asks for a reason to override it.
"""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in

CREATION_CARD = "Sistem Antrian Puskesmas Online"
DEVELOPMENT_CARD = "Air Bersih Berbasis Komunitas"
HANDLE = ":scope > i:first-child"  # a card's drag handle (styled by position, no class)


def card(page, list_id: str, title: str):
    return page.locator(f"#{list_id} > li").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


def drag(page, source, target, arrived) -> None:
    """Press, move in steps and release: what a person's mouse does (SortableJS fallback).

    SortableJS re-reads the pointer every 50 ms while dragging, so the button is only
    released once the card shows in its new place (`arrived`, an expect() that waits).
    """
    # Cards are taller with official region names and the Indonesian milestone titles:
    # a tall window keeps both ends of the drag on screen.
    page.set_viewport_size({"width": 1280, "height": 2000})
    source.scroll_into_view_if_needed()
    start = source.bounding_box()
    end = target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + 20, start["y"] + 20, steps=5)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=20)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2 + 5, steps=5)
    arrived()
    page.mouse.up()


def test_drag_to_the_next_column_overrides_the_gate_and_survives_reload(page):
    log_in(page, "coordinator@example.org")
    page.goto(page.url + "?lang=en")
    expect(page.get_by_role("heading", name="Creation", exact=True)).to_be_visible()
    moving = card(page, "cards-creation", CREATION_CARD)
    target = card(page, "cards-development", DEVELOPMENT_CARD)

    drag(
        page,
        moving.locator(HANDLE),
        target,
        lambda: expect(card(page, "cards-development", CREATION_CARD)).to_have_count(1),
    )

    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Rancangan inovasi dan rencana aksi")
    # The refused move left the card where it was.
    expect(card(page, "cards-creation", CREATION_CARD)).to_have_count(1)
    dialog.get_by_label("Reason").fill("Pilot already serves three villages.")
    dialog.get_by_role("button", name="Confirm move").click()

    expect(dialog).to_be_hidden()
    expect(card(page, "cards-development", CREATION_CARD)).to_have_count(1)
    expect(card(page, "cards-creation", CREATION_CARD)).to_have_count(0)
    expect(page.locator("#board-messages")).to_contain_text("moved to Development")

    page.reload()
    expect(card(page, "cards-development", CREATION_CARD)).to_have_count(1)
    expect(card(page, "cards-creation", CREATION_CARD)).to_have_count(0)
    # The history in the side panel keeps who, the override and the reason.
    card(page, "cards-development", CREATION_CARD).get_by_role("link").click()
    panel = page.locator("#card-panel")
    expect(panel).to_be_visible()
    panel.get_by_role("tab", name="History").click()
    expect(panel).to_contain_text("Pilot already serves three villages.")
    expect(panel).to_contain_text("gate overridden")


def test_drag_within_a_column_reorders_and_survives_reload(page):
    log_in(page, "coordinator@example.org")
    page.goto(page.url + "?lang=en")
    titles = page.locator("#cards-development > li h3")
    first, second = titles.nth(0).inner_text(), titles.nth(1).inner_text()
    drag(
        page,
        card(page, "cards-development", second).locator(HANDLE),
        card(page, "cards-development", first).locator("h3"),
        lambda: expect(titles.nth(0)).to_have_text(second),
    )
    expect(page.locator("#board-messages")).to_contain_text("reordered")
    page.reload()
    expect(titles.nth(0)).to_have_text(second)
    expect(titles.nth(1)).to_have_text(first)


def test_keyboard_move_control_moves_a_card_back_with_a_reason(page):
    log_in(page, "coordinator@example.org")
    page.goto(page.url + "?lang=en")
    move = card(page, "cards-development", DEVELOPMENT_CARD).get_by_role(
        "button", name=re.compile("Move")
    )
    move.focus()
    page.keyboard.press("Enter")

    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    stage = dialog.get_by_label("Move to")
    expect(stage).to_be_focused()
    stage.select_option("creation")
    page.keyboard.press("Tab")
    page.keyboard.type("1")  # top of the column
    dialog.get_by_label("Reason").focus()
    page.keyboard.press("Enter")  # a textarea takes Enter as a new line: no submit yet
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Confirm move").focus()
    page.keyboard.press("Enter")

    # Backward without a reason: refused, message next to the field.
    expect(dialog.locator("#move-reason-error")).to_contain_text("needs a reason")
    expect(dialog.get_by_label("Reason")).to_be_focused()
    page.keyboard.type("Problem statement must be rewritten with the regency.")
    dialog.get_by_role("button", name="Confirm move").focus()
    page.keyboard.press("Enter")

    expect(dialog).to_be_hidden()
    first_in_creation = page.locator("#cards-creation > li h3").first
    expect(first_in_creation).to_have_text(DEVELOPMENT_CARD)
    expect(card(page, "cards-development", DEVELOPMENT_CARD)).to_have_count(0)
    # Focus returns to the card's Move control, now in its new column.
    expect(card(page, "cards-creation", DEVELOPMENT_CARD).get_by_role("button")).to_be_focused()

    page.reload()
    expect(page.locator("#cards-creation > li h3").first).to_have_text(DEVELOPMENT_CARD)


def test_innovator_sees_a_read_only_board(page):
    log_in(page, "innovator@example.org")
    page.goto(page.url + "?lang=en")
    expect(page.get_by_role("heading", name="Development", exact=True)).to_be_visible()
    expect(page.locator(".board-list > li").first).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Move"))).to_have_count(0)
    expect(page.locator(".board-list > li > i:first-child")).to_have_count(0)  # no drag handles


def test_filters_live_in_the_url(page):
    log_in(page, "coordinator@example.org")
    page.goto(page.url + "?lang=en")
    page.get_by_label("Search titles").fill("posyandu")
    expect(page).to_have_url(re.compile(r"q=posyandu"))
    expect(page.locator(".board-list > li")).to_have_count(1)
    page.reload()
    expect(page.get_by_label("Search titles")).to_have_value("posyandu")
    expect(page.locator(".board-list > li")).to_have_count(1)


def test_stale_drag_is_refused_and_the_columns_show_the_current_truth(page):
    log_in(page, "coordinator@example.org")
    board_url = page.url
    # A second coordinator tab moves the card back to Creation meanwhile.
    other = page.context.new_page()
    other.goto(board_url)
    card(other, "cards-development", DEVELOPMENT_CARD).get_by_role("button").click()
    dialog = other.get_by_role("dialog")
    dialog.get_by_label("Move to").select_option("creation")
    dialog.get_by_label("Reason").fill("Back for a new problem statement")
    dialog.get_by_role("button", name="Confirm move").click()
    expect(card(other, "cards-creation", DEVELOPMENT_CARD)).to_have_count(1)
    other.close()

    # This tab still shows the old board; dragging the card there is a stale move.
    titles = page.locator("#cards-development > li h3")
    target = titles.nth(3).inner_text()
    drag(
        page,
        card(page, "cards-development", DEVELOPMENT_CARD).locator(HANDLE),
        card(page, "cards-development", target).locator("h3"),
        lambda: expect(titles.nth(0)).not_to_have_text(DEVELOPMENT_CARD),
    )
    expect(page.locator("#board-messages")).to_contain_text("changed since the board was drawn")
    expect(card(page, "cards-creation", DEVELOPMENT_CARD)).to_have_count(1)
    expect(card(page, "cards-development", DEVELOPMENT_CARD)).to_have_count(0)
    expect(page.get_by_role("dialog")).to_be_hidden()


def test_touch_drag_on_the_handle_moves_a_card(browser, live_server):
    context = browser.new_context(
        locale="en-US", base_url=live_server.url, has_touch=True, is_mobile=False
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, "coordinator@example.org")
        titles = page.locator("#cards-institutionalisation > li h3")
        first, second = titles.nth(0).inner_text(), titles.nth(1).inner_text()
        handle = card(page, "cards-institutionalisation", second).locator(HANDLE)
        handle.scroll_into_view_if_needed()
        start = handle.bounding_box()
        cdp = context.new_cdp_session(page)

        def touch(kind, x, y):
            points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

        x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
        touch("touchStart", x, y)
        target = card(page, "cards-institutionalisation", first).locator("h3").bounding_box()
        steps = 15
        for step in range(1, steps + 1):
            ty = y + (target["y"] + 2 - y) * step / steps
            touch("touchMove", x, ty)
        expect(titles.nth(0)).to_have_text(second)  # shown in place while the finger is down
        touch("touchEnd", x, target["y"] + 2)

        expect(page.locator("#board-messages")).to_contain_text("reordered")
        page.reload()
        expect(titles.nth(0)).to_have_text(second)
        expect(titles.nth(1)).to_have_text(first)
    finally:
        context.close()
