"""A visitor finds a proven innovation in the catalogue, downloads its regulation,
logs in as an innovator and replicates it."""

import re

from playwright.sync_api import expect

from tests.e2e.marks import sqlite_only

TITLE = "Pembayaran Pajak Daerah Online"  # institutionalised and published in the demo


@sqlite_only
def test_a_visitor_searches_downloads_and_replicates(page):
    page.goto("/katalog")
    expect(page.get_by_role("heading", name="Catalogue of proven innovations")).to_be_visible()
    page.get_by_label("Search title, summary or agency").fill("pajak")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 innovation found")).to_be_visible()
    page.get_by_role("link", name=TITLE).click()

    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_text("Institutionalised", exact=True)).to_be_visible()
    expect(page.locator('meta[property="og:title"]')).to_have_attribute("content", TITLE)
    regulation = page.get_by_role("link", name=f"Peraturan Bupati tentang {TITLE}")
    download = page.request.get(regulation.get_attribute("href"))
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.body().startswith(b"%PDF")
    original_url = page.url

    page.get_by_role("link", name="Log in to replicate this innovation").click()
    page.get_by_label("Email").fill("innovator@example.org")
    page.get_by_label("Password").fill("incubator-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(original_url)
    page.get_by_role("link", name="Replicate this").click()

    page.get_by_label("Title of your innovation").fill(f"{TITLE} Belu")
    expect(page.get_by_label("Replicate in the programme")).to_contain_text(
        "a proposal to the coordinators"
    )
    page.get_by_role("button", name="Replicate this").click()
    expect(page.get_by_text("Your proposal has been sent to the coordinators.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"{TITLE} Belu", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/innovations/\d+$"))
    expect(page.get_by_text(TITLE, exact=True)).to_be_visible()  # "Replicates"

    page.goto(original_url)
    expect(page.get_by_text("Replicated 1 time")).to_be_visible()
