"""A coordinator sees the template's weight total change as they edit, and a total
other than 100 % refused by the server with the sum."""

from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.marks import sqlite_only


@sqlite_only
def test_the_weight_total_follows_the_edits_and_the_server_refuses_it(page):
    log_in(page, "coordinator@example.org")
    page.goto("/competitions")
    page.get_by_role("link", name="KIPP – Kelompok Umum (latihan)").click()
    total = page.locator("[data-weight-total]")
    expect(total).to_have_text("Weights now: 100%")
    page.locator("#sections-1-weight").fill("25")  # was 10
    expect(total).to_have_text("Weights now: 115%")
    page.get_by_role("button", name="Save competition").click()
    expect(page.get_by_role("alert").first).to_contain_text("The weights add up to 115%")
    page.locator("#sections-1-weight").fill("10")
    expect(total).to_have_text("Weights now: 100%")
    page.get_by_role("button", name="Save competition").click()
    expect(page.get_by_text("The competition has been saved.")).to_be_visible()
