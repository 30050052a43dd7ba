"""The dashboard in a real browser: charts drawn beside their tables, a filter changes
the numbers in place (htmx) and in the address, and the board's export links."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.marks import sqlite_only


@sqlite_only
def test_a_filter_changes_the_numbers_and_the_address(page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response",
        lambda response: errors.append(response.url) if response.status >= 400 else None,
    )
    log_in(page, "coordinator@example.org")
    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page).to_have_url(re.compile(r"/programmes/[^/]+/dashboard$"))
    total = page.locator('[data-figure="total"]')
    expect(total).to_have_text(re.compile(r"^\d+$"))
    everything = int(total.inner_text())
    assert everything >= 30
    # Chart.js drew on the canvas (it sets its size), and the table is beside it.
    expect(page.locator("#chart-stage-state")).to_have_attribute("style", re.compile("height"))
    expect(page.locator("#table-stage-state")).to_be_visible()

    page.get_by_label("SPM sector", exact=True).select_option(label="Health")
    expect(page).to_have_url(re.compile(r"sector=health"))
    expect(total).not_to_have_text(str(everything))
    health = int(total.inner_text())
    assert 0 < health < everything
    # The redrawn figures got their charts again.
    expect(page.locator("#chart-stage-state")).to_have_attribute("style", re.compile("height"))

    page.reload()
    expect(page.get_by_label("SPM sector", exact=True)).to_have_value("health")
    expect(total).to_have_text(str(health))
    assert errors == []


@sqlite_only
def test_a_period_ending_before_it_starts_is_refused_next_to_the_field(page):
    log_in(page, "coordinator@example.org")
    page.get_by_role("link", name="Dashboard", exact=True).click()
    # The fields' changes reach the server through htmx once the page has loaded; filled
    # before (a busy CI host), they waited for Apply and the test for nothing.
    page.wait_for_load_state()
    page.get_by_label("Period from").fill("2026-06-01")
    page.get_by_label("Period to").fill("2026-05-01")
    expect(page.get_by_text("The end of the period cannot be before its start.")).to_be_visible()
    expect(page.get_by_label("Period to")).to_have_attribute("aria-invalid", "true")


@sqlite_only
def test_a_mentor_sees_the_dashboard_of_their_mentees(page):
    log_in(page, "mentor@example.org")
    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.get_by_text("You see the figures of the innovations you mentor.")).to_be_visible()
