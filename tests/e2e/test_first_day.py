"""Issue 8's browser test: the first day of a real programme, from an empty database.

The command line makes one organiser (and loads the national regions reference);
in the browser they create a programme, tick NTT regencies, import agencies from a
CSV, and invite an innovator and a mentor. The two invitation emails arrive at
aiosmtpd; each invitee follows the link, sets a password and lands on the board.
The coordinator creates an innovation owned by the innovator and assigns the
mentor; the innovator finds it under My innovations, the mentor under My mentees.
"""

import re

import pytest
from playwright.sync_api import expect

from incubator.extensions import db
from tests.e2e.conftest import log_in
from tests.e2e.mail import screenshot, smtp_server, start_mail_server  # noqa: F401

ORGANISER, PASSWORD = "ana@ntt.example.id", "first-organiser-password"
INNOVATOR, MENTOR = "yohana@kupangkota.example.id", "welem@undana.example.id"
SLUG = "inkubasi-inovasi-ntt-2027"
AGENCIES = "Agency,Region\nDinas Kesehatan,Kota Kupang\nBappeda,Kabupaten Belu\n"


@pytest.fixture
def server(tmp_path, smtp_server):  # noqa: F811
    running = start_mail_server(tmp_path, smtp_server, demo=False)
    app = running.app
    with app.app_context():
        runner = app.test_cli_runner()
        made = runner.invoke(
            args=["users", "create", "--role", "coordinator"]
            + ["--email", ORGANISER, "--name", "Ana Organiser"],
            input=f"{PASSWORD}\n{PASSWORD}\n",
        )
        assert made.exit_code == 0, made.output
        loaded = runner.invoke(args=["regions", "load"])
        assert loaded.exit_code == 0, loaded.output
        db.session.remove()
        db.engine.dispose()
    with running:
        yield running


def new_page(browser, server):
    context = browser.new_context(locale="en-US", base_url=server.url)
    context.set_default_timeout(15_000)
    return context, context.new_page()


WORDS = {  # the invitation's language is the invitee's until they choose another
    "id": (
        "Bergabung dengan",
        "Kata sandi baru",
        "Ulangi kata sandi baru",
        "Simpan kata sandi dan bergabung",
        "Penciptaan",
    ),
    "en": ("Join", "New password", "Repeat new password", "Save password and join", "Creation"),
}


def accept(browser, server, email: str, password: str, lang: str):
    """The invitee opens the emailed link in their own browser and sets a password."""
    join, new, repeat, save, first_stage = WORDS[lang]
    [link] = server.links(email, r"/invitations/[\w.-]+")
    context, page = new_page(browser, server)
    page.goto(link)
    expect(page.get_by_role("heading", name=f"{join} Inkubasi Inovasi NTT 2027")).to_be_visible()
    screenshot(page, f"accept-invitation-{lang}")
    page.get_by_label(new, exact=True).fill(password)
    page.get_by_label(repeat).fill(password)
    page.get_by_role("button", name=save).click()
    expect(page).to_have_url(re.compile(rf"/programmes/{SLUG}/board$"))
    expect(page.get_by_role("heading", name=first_stage)).to_be_visible()
    return context, page


def test_first_day_of_a_programme_from_an_empty_database(browser, server):
    context, page = new_page(browser, server)
    log_in(page, ORGANISER, PASSWORD)
    page.get_by_role("link", name="Create a programme").click()
    page.get_by_label("Name").fill("Inkubasi Inovasi NTT 2027")
    page.get_by_label("Cohort year").fill("2027")
    page.get_by_label("Start date").fill("2027-02-01")
    page.get_by_label("End date").fill("2027-11-30")
    page.get_by_label("Province").select_option(label="Nusa Tenggara Timur")
    page.get_by_role("button", name="Create the programme").click()
    expect(page).to_have_url(re.compile(rf"/programmes/{SLUG}/board$"))

    # Regencies and agencies (the places pages).
    page.goto(f"/programmes/{SLUG}/settings/regions")
    expect(page.get_by_role("checkbox")).to_have_count(22)
    page.get_by_label("Kota Kupang").check()
    page.get_by_label("Kabupaten Belu").check()
    page.get_by_role("button", name="Save regencies and cities").click()
    expect(page.get_by_text("regencies and cities have been saved")).to_be_visible()
    page.get_by_role("link", name="Import agencies").click()
    page.get_by_label("CSV or XLSX file").set_input_files(
        {"name": "agencies.csv", "mimeType": "text/csv", "buffer": AGENCIES.encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Confirm the import").click()
    expect(page.get_by_text("Imported: 2 new agencies")).to_be_visible()

    # People: invite an innovator (Indonesian email) and a mentor (English email).
    page.get_by_role("link", name="People", exact=True).click()
    form = page.get_by_role("region", name="Invite a person")
    form.get_by_label("Name").fill("Yohana Bria")
    form.get_by_label("Email").fill(INNOVATOR)
    form.get_by_label("Role").select_option("innovator")
    form.get_by_label("Agency (innovators)").select_option(label="Dinas Kesehatan")
    form.get_by_role("button", name="Send invitation").click()
    expect(
        page.get_by_role("status").filter(has_text=f"Invitation sent to {INNOVATOR}")
    ).to_be_visible()
    form = page.get_by_role("region", name="Invite a person")
    form.get_by_label("Name").fill("Welem Mentor")
    form.get_by_label("Email").fill(MENTOR)
    form.get_by_label("Role").select_option("mentor")
    form.get_by_label("Capacity (mentors): innovations at a time").fill("3")
    form.get_by_label("Language of the invitation").select_option("en")
    form.get_by_role("button", name="Send invitation").click()
    table = page.locator("#people-table")
    expect(table.get_by_role("row", name=re.compile("Yohana Bria"))).to_contain_text("Invited")
    expect(table.get_by_role("row", name=re.compile("Yohana Bria"))).to_contain_text(
        "Dinas Kesehatan"
    )
    screenshot(page, "people-invited-en")

    # The scheduler's delivery run: both emails reach the SMTP server, once each.
    assert server.deliver() == 2
    by_address = {m["To"].addresses[0].addr_spec: m for m in server.smtp.messages}
    assert set(by_address) == {INNOVATOR, MENTOR}
    assert by_address[INNOVATOR]["Content-Language"] == "id"
    assert by_address[MENTOR]["Content-Language"] == "en"

    innovator_context, innovator = accept(browser, server, INNOVATOR, "yohana-long-secret", "id")
    mentor_context, mentor = accept(browser, server, MENTOR, "welem-long-secret", "en")

    page.reload()
    expect(table.get_by_role("row", name=re.compile("Yohana Bria"))).to_contain_text("Active")
    expect(page.get_by_text("Yohana Bria accepted the invitation.")).to_be_visible()
    page.goto(f"/programmes/{SLUG}/people?lang=id")
    screenshot(page, "people-active-id")

    # The coordinator registers an innovation owned by the innovator, assigns the mentor.
    page.goto(f"/programmes/{SLUG}/board?lang=en")
    page.get_by_role("link", name="New innovation").click()
    page.get_by_label("Title").fill("Antrian Puskesmas Daring")
    page.get_by_label("Owner").select_option(label="Yohana Bria")
    agency = page.get_by_label("Agency", exact=True)
    agency.select_option(
        agency.locator("option", has_text="Dinas Kesehatan").first.get_attribute("value")
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Antrian Puskesmas Daring")).to_be_visible()
    innovation_url = page.url
    page.goto(innovation_url.split("?")[0] + "/mentors")
    page.get_by_role("button", name="Assign Welem Mentor").click()
    expect(page.get_by_role("region", name=re.compile("Current mentors|Mentors"))).to_contain_text(
        "Welem Mentor"
    )

    innovator.get_by_role("link", name="Inovasi saya").click()
    expect(innovator.get_by_text("Antrian Puskesmas Daring").first).to_be_visible()
    mentor.get_by_role("link", name="My mentees").click()
    expect(mentor.get_by_text("Antrian Puskesmas Daring").first).to_be_visible()

    for each in (context, innovator_context, mentor_context):
        each.close()
