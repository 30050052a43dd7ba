"""A coordinator ticks regencies of NTT and imports agencies from a CSV, in the browser."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.marks import sqlite_only

BAD = "Agency,Region\nDinas Kesehatan,Kota Kupang\nBappeda,Kupang\n"
GOOD = "Agency,Region\nDinas Kesehatan,Kota Kupang\nBappeda,53.01\nDinas Sosial,kab. kupang\n"


def _csv(text: str) -> dict:
    return {"name": "agencies.csv", "mimeType": "text/csv", "buffer": text.encode()}


@sqlite_only
def test_ticking_regencies_then_importing_agencies(page):
    log_in(page, "coordinator@example.org")
    page.goto("/programmes/ntt-2022/settings/regions")
    expect(
        page.get_by_role("group", name="Regencies and cities of Nusa Tenggara Timur")
    ).to_be_visible()
    expect(page.get_by_role("checkbox")).to_have_count(22)
    expect(page.get_by_label("Kabupaten Belu")).to_be_checked()  # the demo's five
    page.get_by_label("Kota Kupang").check()
    page.get_by_label("Kabupaten Kupang").check()
    page.get_by_role("button", name="Save regencies and cities").click()
    expect(
        page.get_by_text("The programme's regencies and cities have been saved.")
    ).to_be_visible()
    expect(page.get_by_label("Kota Kupang")).to_be_checked()

    page.get_by_role("link", name="Import agencies").click()
    page.get_by_label("CSV or XLSX file").set_input_files(_csv(BAD))
    page.get_by_role("button", name="Check the file").click()
    problem = page.get_by_role("row", name=re.compile(r"^3 Bappeda"))
    expect(problem).to_contain_text("Kabupaten Kupang (53.01)")
    expect(page.get_by_role("alert")).to_contain_text("Nothing has been imported")
    expect(page.get_by_role("button", name="Confirm the import")).to_have_count(0)

    page.get_by_label("CSV or XLSX file").set_input_files(_csv(GOOD))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("3 new agencies")).to_be_visible()
    page.get_by_role("button", name="Confirm the import").click()
    expect(page.get_by_text("Imported: 3 new agencies")).to_be_visible()
    for name in ("Dinas Kesehatan", "Bappeda", "Dinas Sosial"):
        expect(page.get_by_label(f"{name} takes part").first).to_be_checked()
