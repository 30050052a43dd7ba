"""From an empty install: the command line makes an organiser, who creates a programme
in the browser and lands on its board with the default milestone templates."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from incubator.extensions import db
from tests.conftest import make_app, migrate_to_head
from tests.e2e.conftest import LiveServer, log_in

PASSWORD = "first-organiser-password"


@pytest.fixture
def empty_server(tmp_path) -> Iterator[LiveServer]:
    app = make_app(
        f"sqlite:///{tmp_path / 'empty.db'}", WTF_CSRF_ENABLED=True, BASE_URL="http://127.0.0.1"
    )
    migrate_to_head(app)
    with app.app_context():
        result = app.test_cli_runner().invoke(
            args=["users", "create", "--role", "coordinator"]
            + ["--email", "ana@ntt.example.id", "--name", "Ana Organiser"],
            input=f"{PASSWORD}\n{PASSWORD}\n",
        )
        assert result.exit_code == 0, result.output
        db.session.remove()
        db.engine.dispose()
    with LiveServer(app) as server:
        yield server
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def empty_page(browser, empty_server):
    context = browser.new_context(locale="en-US", base_url=empty_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_the_first_organiser_creates_a_programme(empty_page):
    page = empty_page
    log_in(page, "ana@ntt.example.id", PASSWORD)
    page.get_by_role("link", name="Create a programme").click()
    expect(page.get_by_role("heading", name="Create a programme")).to_be_visible()

    page.get_by_label("Name").fill("Inkubasi Inovasi NTT 2027")
    page.get_by_label("Cohort year").fill("2027")
    page.get_by_label("Start date").fill("2027-02-01")
    page.get_by_label("End date").fill("2027-01-15")
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Makassar")
    page.get_by_role("button", name="Create the programme").click()
    expect(page.get_by_text("The end date must be after the start date.")).to_be_visible()

    page.get_by_label("End date").fill("2027-11-30")
    page.get_by_role("button", name="Create the programme").click()
    expect(page).to_have_url(re.compile(r"/programmes/inkubasi-inovasi-ntt-2027/board$"))
    expect(page.get_by_role("heading", name="Creation")).to_be_visible()

    page.get_by_role("link", name="Milestone templates").click()
    expect(
        page.get_by_role("cell", name="Rumusan masalah dan data dasar", exact=True)
    ).to_be_visible()
    page.goto("/programmes")
    expect(page.get_by_role("link", name="Inkubasi Inovasi NTT 2027", exact=True)).to_be_visible()
