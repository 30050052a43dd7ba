"""In a browser: an organiser reads the security log, on a phone and a laptop, in both
languages; a failed login shows up with the email typed."""

from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.mail import SIZES, screenshot
from tests.e2e.marks import sqlite_only


@sqlite_only
def test_an_organiser_reads_failed_and_successful_logins(page):
    log_in(page, "nobody@example.org", "wrong-password-here")
    expect(page.get_by_text("Email or password is incorrect.")).to_be_visible()
    log_in(page, "coordinator@example.org")
    page.wait_for_url(lambda url: "/login" not in url)
    page.locator("nav .dropdown-toggle").click()
    page.get_by_role("link", name="Security log").click()
    expect(page.get_by_role("heading", name="Security log")).to_be_visible()
    rows = page.locator("table.security-log tbody tr")
    expect(rows.first).to_contain_text("Logged in")
    expect(rows.first).to_contain_text("coordinator@example.org")
    expect(rows.nth(1)).to_contain_text("Login failed")
    expect(rows.nth(1)).to_contain_text("nobody@example.org")
    for lang in ("en", "id"):
        page.goto(f"/security-log?lang={lang}")
        screenshot(page, f"security-log-{lang}")
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            overflow = page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
            assert not overflow, f"{lang} {size}: the page scrolls sideways"
    expect(page.get_by_role("heading", name="Log keamanan")).to_be_visible()
