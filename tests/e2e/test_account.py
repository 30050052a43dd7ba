"""In a browser: forgot password by email, and the profile page, in both languages."""

import re

import pytest
from playwright.sync_api import expect

from incubator.demo import DEMO_PASSWORD
from tests.e2e.conftest import log_in
from tests.e2e.mail import screenshot, smtp_server, start_mail_server  # noqa: F401


@pytest.fixture
def server(tmp_path, smtp_server):  # noqa: F811
    with start_mail_server(tmp_path, smtp_server, demo=True) as running:
        yield running


@pytest.fixture
def page(browser, server):
    context = browser.new_context(locale="en-US", base_url=server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_forgot_password_by_email_then_log_in_with_the_new_one(page, server):
    page.goto("/login?lang=en")
    page.get_by_role("link", name="Forgot password?").click()
    screenshot(page, "forgot-password-en")
    page.get_by_label("Email").fill("innovator@example.org")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("status").filter(has_text="on its way")).to_be_visible()
    assert server.deliver() == 1
    [link] = server.links("innovator@example.org", r"/reset-password/[\w.-]+")

    page.goto(link + "?lang=id")
    expect(page.get_by_role("heading", name="Pilih kata sandi baru")).to_be_visible()
    screenshot(page, "reset-password-id")
    page.get_by_label("Kata sandi baru", exact=True).fill("a-new-long-secret")
    page.get_by_label("Ulangi kata sandi baru").fill("a-new-long-secret")
    page.get_by_role("button", name="Simpan kata sandi").click()
    expect(page).to_have_url(re.compile(r"/programmes/[^/]+/board$"))

    # The link worked once. Indonesian, chosen on the reset page, is now the account's.
    page.goto(link + "?lang=en")
    expect(page.get_by_role("alert")).to_contain_text("sudah dipakai")
    screenshot(page, "reset-link-used-id")


def test_profile_changes_name_and_language(page, server):
    log_in(page, "mentor@example.org", DEMO_PASSWORD)
    page.goto("/account?lang=en")
    screenshot(page, "profile-en")
    page.get_by_label("Name", exact=True).fill("Agustina Seran, M.Si.")
    page.get_by_label("Language", exact=True).select_option("id")
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_role("heading", name="Profil", exact=True)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Profil Anda telah disimpan")).to_be_visible()
    expect(page.get_by_label("Nama", exact=True)).to_have_value("Agustina Seran, M.Si.")
    screenshot(page, "profile-id")
