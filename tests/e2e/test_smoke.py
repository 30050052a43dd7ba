"""The demo coordinator logs in, in English, and sees the board's three stages."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in


def test_coordinator_logs_in_and_sees_the_three_columns(page):
    log_in(page, "coordinator@example.org")
    expect(page).to_have_url(re.compile(r"/programmes/[^/]+/board$"))
    for heading in ("Creation", "Development", "Institutionalisation"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()


def test_wrong_password_shows_the_form_again(page):
    log_in(page, "coordinator@example.org", "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("incorrect")
    expect(page.get_by_label("Email")).to_be_visible()
