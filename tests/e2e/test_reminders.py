"""In a browser: a coordinator edits a reminder rule (htmx), a user sets their time zone."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.marks import sqlite_only


@sqlite_only
def test_coordinator_edits_a_rule_and_sees_errors_next_to_the_field(page):
    log_in(page, "coordinator@example.org")
    page.get_by_role("link", name="Reminders").click()
    expect(page).to_have_url(re.compile(r"/settings/reminders$"))
    rule = page.locator("#rule-due_7")
    days = rule.get_by_label("Days before the due date")
    expect(days).to_have_value("7")

    days.fill("-1")
    rule.get_by_role("button", name="Save").click()
    expect(rule.locator(".invalid-feedback")).to_have_text("Enter a whole number from 1 to 60.")
    expect(rule.get_by_label("Days before the due date")).to_have_attribute("aria-invalid", "true")

    rule.get_by_label("Days before the due date").fill("5")
    rule.get_by_role("button", name="Save").click()
    expect(rule.get_by_role("status")).to_have_text("Saved.")
    page.reload()
    expect(page.locator("#rule-due_7").get_by_label("Days before the due date")).to_have_value("5")


@sqlite_only
def test_user_chooses_a_time_zone_and_switches_the_digest_off(page):
    log_in(page, "mentor@example.org")
    page.get_by_role("button", name=re.compile("Agustina")).click()
    page.get_by_role("link", name="Profile and notifications").click()
    page.get_by_label("Time zone").select_option("Asia/Jayapura")
    page.get_by_label("Weekly digest").uncheck()
    page.locator("#notifications").get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("saved")
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Jayapura")
    expect(page.get_by_label("Weekly digest")).not_to_be_checked()
    expect(page.get_by_label("Due today")).to_be_checked()
