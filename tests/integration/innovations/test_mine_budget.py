"""The budget of "My innovations" (issue 14): its progress form is rendered once (per
language, `ProgressStamps`) and stamped per milestone, not a WTForms form bound per
milestone (40 of those were 83 % of the page's time). Counts and bytes, never time: a
change that brings back a form, a query or markup per milestone fails here.
`python -m bench.profile --page "My innovations"` profiles the time.

The page inlines the milestone item that an htmx save returns (`_milestone.html` in mode
"mine"); the first test holds the two the same."""

import re
from datetime import date, timedelta

from flask import render_template
from flask_babel import force_locale
from flask_login import login_user

from incubator.extensions import db
from incubator.i18n import reader_today
from incubator.innovations import queries
from incubator.innovations.forms import ProgressForm
from incubator.innovations.views import progress_forms
from incubator.models import utcnow
from tests import factories

# A milestone's item on the page, progress form included: today about 2.27 KB (titles as
# the factories make them). A form field, attribute or wrapper added per milestone shows here.
MAX_ITEM_BYTES = 2400


def _items(html: str) -> dict[int, str]:
    """Each milestone's list item, whitespace runs made one space (as the browser does)."""
    return {
        int(match.group(2)): " ".join(match.group(1).split())
        for match in re.finditer(
            r'(<li class="card mb-2 milestone[^"]*" id="milestone-(\d+)".*?</li>)', html, re.S
        )
    }


def _milestones(world, count: int) -> list:
    return [
        factories.make_milestone(world.innovation, owner_id=world.innovator.id)
        for _ in range(count)
    ]


def test_the_page_shows_each_milestone_as_an_htmx_save_returns_it(app, client, world, as_):
    today = date.today()
    made = [
        factories.make_milestone(
            world.innovation, title='Kajian "awal" & <uji>', due_date=today - timedelta(3)
        ),
        factories.make_milestone(world.innovation, title="Hari ini", due_date=today, progress=40),
        factories.make_milestone(world.innovation, title="Segera", due_date=today + timedelta(2)),
        factories.make_milestone(world.innovation, title="Nanti", due_date=today + timedelta(40)),
        factories.make_milestone(world.innovation, title="Kapan saja", due_date=None),
        factories.make_milestone(world.other_innovation, title="Not mine"),
    ]
    finished = factories.make_milestone(world.innovation, title="Selesai", progress=100)
    finished.done_at = utcnow()
    for milestone in (made[0], made[0], made[1]):
        factories.add_progress_update(milestone, world.innovator)
    db.session.commit()
    as_(world.innovator)

    page = client.get("/my/innovations").text
    items = _items(page)
    lang = re.search(r'<html lang="([a-z]+)"', page).group(1)

    shown = [*made[:5], finished]
    assert sorted(items) == sorted(m.id for m in shown)
    counts = queries.update_counts([m.id for m in shown])
    with app.test_request_context("/my/innovations"), force_locale(lang):
        login_user(world.innovator)
        for milestone in shown:
            returned = render_template(
                "innovations/_milestone.html",
                innovation=world.innovation,
                milestone=milestone,
                form=progress_forms([milestone])[milestone.id],
                today=reader_today(),
                next_url="/my/innovations",
                saved=False,
                milestone_mode="mine",
                updates=[],
                update_count=counts.get(milestone.id, 0),
            )
            assert items[milestone.id] == _items(returned)[milestone.id]


def test_one_progress_form_a_page_whatever_the_milestones(client, world, as_, monkeypatch):
    made = []
    real = ProgressForm.__init__

    def counted(self, *args, **kwargs):
        made.append(kwargs.get("prefix"))
        real(self, *args, **kwargs)

    monkeypatch.setattr(ProgressForm, "__init__", counted)
    as_(world.innovator)
    sizes = []
    for count in (1, 13):
        _milestones(world, count - len(sizes and [0]))
        db.session.commit()
        made.clear()
        text = client.get("/my/innovations").text
        assert text.count('class="progress-form"') == count
        assert len(made) <= 1, made  # stamped (rendered once per language), not per milestone
        sizes.append(len(text.encode()))
    per_item = (sizes[1] - sizes[0]) / 12
    assert per_item <= MAX_ITEM_BYTES, per_item


def test_the_stamped_forms_carry_the_pages_csrf_token_and_post(app, client, world, as_):
    milestone = factories.make_milestone(world.innovation, title="Pilot", progress=10)
    db.session.commit()
    as_(world.innovator)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get("/my/innovations").text
        token = re.search(
            rf'<input id="m{milestone.id}-csrf_token" name="m{milestone.id}-csrf_token" '
            r'type="hidden" value="([^"]+)">',
            page,
        )
        assert token, page
        response = client.post(
            f"/innovations/{world.innovation.id}/milestones/{milestone.id}/progress",
            data={
                f"m{milestone.id}-csrf_token": token.group(1),
                f"m{milestone.id}-progress": "55",
                "mode": "mine",
                "next": f"/my/innovations#milestone-{milestone.id}",
            },
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 302, response.text[:500]
    assert response.headers["Location"].endswith(f"/my/innovations#milestone-{milestone.id}")
    db.session.expire_all()
    assert milestone.progress == 55
