"""The app's Content-Security-Policy is in force in the browser, and the browser tests
notice when it blocks something (tests/e2e/conftest.py fails any test that does)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import conftest
from tests.e2e.conftest import log_in
from tests.e2e.marks import sqlite_only


@pytest.mark.e2e
@pytest.mark.csp_violation_expected
def test_the_policy_blocks_injected_script_and_the_tests_see_it(page):
    response = page.goto("/login?lang=en")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.inlineRan = true'; document.head.append(s);"
        " const b = document.createElement('button');"
        " b.setAttribute('onclick', 'window.handlerRan = true'); document.body.append(b);"
        " b.click(); }"
    )
    assert page.evaluate("window.inlineRan === undefined && window.handlerRan === undefined")
    page.wait_for_timeout(200)  # console messages arrive asynchronously
    assert any("inline" in text for text in conftest.CSP_VIOLATIONS), conftest.CSP_VIOLATIONS
    conftest.CSP_VIOLATIONS.clear()


@pytest.mark.e2e
@sqlite_only
def test_the_profile_logs_out_everywhere_under_the_policy(page):
    log_in(page, "innovator@example.org")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto("/account?lang=en")
    page.get_by_role("button", name="Log out everywhere").click()
    expect(page.get_by_role("status").filter(has_text="logged out on every device")).to_be_visible()
    page.goto("/account")
    expect(page).to_have_url(re.compile(r"/login\?next="))


@pytest.mark.e2e
@sqlite_only
def test_the_language_switch_posts_and_is_kept(page):
    page.goto("/login", wait_until="load")
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    log_in(page, "mentor@example.org")
    page.wait_for_url(lambda url: "/login" not in url)
    assert page.evaluate("document.documentElement.lang") == "en"
    page.get_by_role("button", name="ID", exact=True).click()
    page.wait_for_function("() => document.documentElement.lang === 'id'")
