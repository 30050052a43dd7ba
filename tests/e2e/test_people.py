"""In a browser: a coordinator copies an invitation link, previews a file with a bad row,
and changes a member's role; the screens in both languages at both sizes."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.mail import screenshot, smtp_server, start_mail_server  # noqa: F401

PEOPLE = "/programmes/ntt-2022/people"
FILE = (
    "Nama,Email,Peran,OPD\n"
    "Maria Kolo,maria@example.org,inovator,\n"
    "Paulus Nope,bukan-email,pendamping,\n"
)


@pytest.fixture
def server(tmp_path, smtp_server):  # noqa: F811
    with start_mail_server(tmp_path, smtp_server, demo=True) as running:
        yield running


@pytest.fixture
def page(browser, server):
    context = browser.new_context(locale="en-US", base_url=server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_copy_link_preview_a_file_and_change_a_role(page, server):
    log_in(page, "coordinator@example.org")
    page.goto(PEOPLE + "?lang=en")
    form = page.get_by_role("region", name="Invite a person")
    form.get_by_label("Name").fill("Kristina Lake")
    form.get_by_label("Email").fill("kristina@example.org")
    form.get_by_role("button", name="Send invitation").click()
    page.get_by_role("link", name="Kristina Lake").click()
    screenshot(page, "person-invited-en")

    page.get_by_role("button", name="Copy invitation link").click()
    link = page.get_by_label("Invitation link")
    expect(link).to_have_value(re.compile(re.escape(server.url) + r"/invitations/[\w.-]+$"))
    page.get_by_role("button", name="Copy", exact=True).click()
    expect(page.locator("#copy-status")).to_have_text("Copied")
    screenshot(page, "invitation-link-en")
    assert server.deliver() == 1
    assert server.links("kristina@example.org", r"/invitations/[\w.-]+") == [link.input_value()]

    page.goto(PEOPLE + "/import?lang=id")
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(
        {"name": "orang.csv", "mimeType": "text/csv", "buffer": FILE.encode()}
    )
    page.get_by_role("button", name="Pratinjau").click()
    expect(page.get_by_role("alert")).to_contain_text("1 baris bermasalah")
    bad = page.get_by_role("row", name=re.compile(r"^3 Paulus Nope"))
    expect(bad).to_contain_text("bukan alamat email yang valid")
    expect(page.get_by_role("button", name="Undang semuanya")).to_have_count(0)
    screenshot(page, "people-import-preview-id")

    page.goto(PEOPLE + "?lang=en&role=mentor")
    page.locator("#people-table").get_by_role("link").first.click()
    page.get_by_label("Role", exact=True).select_option("coordinator")
    page.get_by_role("button", name="Change role").click()
    expect(page.get_by_role("status").first).to_contain_text("has been changed")
    page.goto(page.url.split("?")[0] + "?lang=id")
    screenshot(page, "person-active-id")
