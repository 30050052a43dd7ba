"""The dashboard and report pages: who sees them, filters in the URL, bad input, cost."""

import re

import pytest
from sqlalchemy import insert

from incubator.extensions import db
from incubator.models import Innovation, Milestone, StageTransition

HTMX = {"HX-Request": "true"}


def url(known, page="dashboard", **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/programmes/{known.world.programme.slug}/{page}" + (f"?{query}" if query else "")


def figure(html: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1)


@pytest.mark.parametrize("page", ["dashboard", "report"])
def test_permission_matrix(app, client, login, known, page):
    w = known.world
    login(w.coordinator)
    assert client.get(url(known, page)).status_code == 200
    client.post("/logout")
    login(w.mentor)
    response = client.get(url(known, page))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert figure(html, "total") == "2"  # their mentees only: Antrian, Bansos
    client.post("/logout")
    login(w.innovator)
    assert client.get(url(known, page)).status_code == 403
    client.post("/logout")
    login(w.foreign_coordinator)
    assert client.get(url(known, page)).status_code == 404


def test_coordinator_sees_every_figure_and_the_navigation_link(app, client, login, known):
    login(known.world.coordinator)
    html = client.get(url(known) + "?lang=en").get_data(as_text=True)
    assert figure(html, "total") == "5"
    assert figure(html, "stalled") == "1"
    assert figure(html, "overdue") == "3"
    assert figure(html, "coverage") == "50 %"
    assert ">Dashboard</a>" in html
    assert 'id="dashboard-data"' in html and "<script>" not in html  # no inline script
    assert "chart.umd.min.js" in html and "js/dashboard.js" in html
    # Each chart has its table beside it.
    for table in ("table-stage-state", "table-funnel", "table-stage-time", "table-overdue-region"):
        assert f'id="{table}"' in html
    html_id = client.get(url(known) + "?lang=id").get_data(as_text=True)
    assert ">Dasbor</a>" in html_id


def test_innovators_have_no_dashboard_link(app, client, login, known):
    login(known.world.innovator)
    html = client.get(f"/programmes/{known.world.programme.slug}/board?lang=en").get_data(
        as_text=True
    )
    assert ">Dashboard</a>" not in html


def test_filters_are_kept_in_the_url_and_change_the_numbers(app, client, login, known):
    login(known.world.coordinator)
    response = client.get(url(known, region=known.belu.id, sector="health"), headers=HTMX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert figure(html, "total") == "2"  # Antrian and Stalled
    assert "<html" not in html  # the htmx answer is the figures' block only
    page = client.get(url(known, region=known.belu.id)).get_data(as_text=True)
    assert figure(page, "total") == "3"
    assert f'<option value="{known.belu.id}" selected' in page
    report = client.get(url(known, "report", region=known.belu.id)).get_data(as_text=True)
    assert figure(report, "total") == "3"


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        ({"region": "abc"}, "region", "Not a valid integer value."),
        ({"region": "999999"}, "region", "Choose one of the options."),
        ({"sector": "mining"}, "sector", "Choose one of the options."),
        ({"start": "2026-13-01"}, "start", "Enter a real date as YYYY-MM-DD."),
        (
            {"start": "2026-06-01", "end": "2026-05-01"},
            "end",
            "The end of the period cannot be before its start.",
        ),
    ],
)
def test_bad_filters_are_a_400_with_the_message_next_to_the_field(
    app, client, login, known, args, field, message
):
    login(known.world.coordinator)
    client.get("/?lang=en")
    response = client.get(url(known, **args))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    error = re.search(rf'id="dash-{field}-error"[^>]*>([^<]*)<', html)
    assert error and message in error.group(1)
    assert f'aria-describedby="dash-{field}-error"' in html
    htmx = client.get(url(known, **args), headers=HTMX)
    assert htmx.headers.get("HX-Redirect")  # the whole page, with the message by the field


def test_the_stall_setting_is_the_coordinators_and_checked(app, client, login, known):
    w = known.world
    login(w.coordinator)
    client.get("/?lang=en")
    refused = client.post(url(known, "dashboard/settings"), data={"stall_days": "0"})
    assert refused.status_code == 422
    assert "Enter a number from 1 to 365." in refused.get_data(as_text=True)
    saved = client.post(url(known, "dashboard/settings"), data={"stall_days": "50"})
    assert saved.status_code == 302
    db.session.refresh(w.programme)
    assert w.programme.stall_days == 50
    assert figure(client.get(url(known)).get_data(as_text=True), "stalled") == "0"
    client.post("/logout")
    login(w.mentor)
    refused = client.post(url(known, "dashboard/settings"), data={"stall_days": "5"})
    assert refused.status_code == 403


def test_the_report_lists_innovations_by_stage_with_milestones_done(app, client, login, known):
    login(known.world.coordinator)
    client.get("/?lang=en")
    html = client.get(url(known, "report", start="2026-05-16", end="2026-06-30")).get_data(
        as_text=True
    )
    assert "css/report.css" in html
    assert "Period: May 16, 2026 to June 30, 2026" in html
    development = re.search(
        r'<table class="table table-sm" data-stage="development">(.*?)</table>', html, re.S
    ).group(1)
    assert "Antrian" in development and "1/2" in development  # M2 done of M1, M2
    assert "Sekolah" in development and "0/1" in development
    bahasa = client.get(url(known, "report") + "?lang=id").get_data(as_text=True)
    assert "Laporan program" in bahasa


def _many(programme, owner, agency_id, n: int) -> None:
    """`n` cards with a transition, a milestone and a mentor each, written in bulk."""
    first = db.session.scalar(db.select(db.func.coalesce(db.func.max(Innovation.id), 0)))
    db.session.execute(
        insert(Innovation),
        [
            {
                "programme_id": programme.id,
                "title": f"Bulk {i}",
                "owner_id": owner.id,
                "agency_id": agency_id,
                "spm_sector": "health",
                "position": 10_000 + i,
            }
            for i in range(n)
        ],
    )
    ids = list(db.session.scalars(db.select(Innovation.id).where(Innovation.id > first)))
    db.session.execute(
        insert(StageTransition), [{"innovation_id": i, "to_stage": "creation"} for i in ids]
    )
    db.session.execute(
        insert(Milestone),
        [{"innovation_id": i, "stage": "creation", "title": "M", "progress": 0} for i in ids],
    )
    db.session.commit()


def test_the_number_of_queries_does_not_grow_with_the_programme(
    app, client, login, known, count_queries
):
    w = known.world
    login(w.coordinator)
    client.get(url(known))

    def measure() -> int:
        with count_queries() as statements:
            assert client.get(url(known)).status_code == 200
        return len(statements)

    _many(w.programme, w.innovator, known.agencies["dinkes"].id, 10)
    ten = measure()
    _many(w.programme, w.innovator, known.agencies["dinkes"].id, 990)
    thousand = measure()
    assert ten == thousand
    assert figure(client.get(url(known)).get_data(as_text=True), "total") == "1005"


def test_the_navigation_link_outside_a_programme_leads_to_a_dashboard(app, client, login, known):
    w = known.world
    login(w.mentor)
    html = client.get("/account?lang=en").get_data(as_text=True)
    assert 'href="/dashboard">Dashboard</a>' in html
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert (
        response.headers["Location"].endswith("/dashboard")
        and "/programmes/" in response.headers["Location"]
    )
    client.post("/logout")
    login(w.innovator)
    assert ">Dashboard</a>" not in client.get("/account?lang=en").get_data(as_text=True)
    assert client.get("/dashboard").status_code == 403
