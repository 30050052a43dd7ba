"""The answer to an htmx progress save (issue 14: p95 <= 20 ms at N = 10,000 innovations).
It is drawn from the objects the save has just written (nothing reloaded), in a fixed
number of statements whatever the milestone's history, and a blank form is stamped from
the HTML WTForms renders once (`ProgressStamps`), the same as a bound form would render.
Counts and markup, never time: `python -m bench.profile --page "progress update"`
profiles the time."""

import re
from datetime import timedelta

import pytest
from flask import render_template
from flask_babel import force_locale
from flask_login import login_user
from jinja2_fragments.flask import render_block

from incubator.extensions import db
from incubator.i18n import reader_today
from incubator.innovations import queries
from incubator.innovations.forms import ProgressForm
from incubator.innovations.stamps import ProgressStamps
from incubator.models import DueDateRequest
from tests import factories

HTMX = {"HX-Request": "true"}

# The request's statements: the login session, the innovation with the milestone, the
# user's memberships, the milestone locked, the activity entry, the new progress, the
# update; then what the answer reads: the count of updates ("mine"), the recent history
# and the count ("tab", whose item also shows the milestone's feedback and a pending due
# date request: two more; the owner here is the user, already loaded), or the whole
# history ("page").
STATEMENTS = {"mine": 8, "tab": 11, "page": 8}


def _save(client, path: str, milestone_id: int, mode: str, progress: int):
    return client.post(
        path,
        data={
            f"m{milestone_id}-progress": str(progress),
            f"m{milestone_id}-note": f"Week {progress}",
            "mode": mode,
        },
        headers=HTMX,
    )


@pytest.mark.parametrize("mode", sorted(STATEMENTS))
def test_an_htmx_save_answers_in_a_fixed_number_of_statements(
    client, world, as_, count_queries, mode
):
    milestone = factories.make_milestone(world.innovation, owner_id=world.innovator.id)
    db.session.commit()
    path = f"/innovations/{world.innovation.id}/milestones/{milestone.id}/progress"
    milestone_id = milestone.id
    as_(world.innovator)
    seen = []
    for progress in (10, 20, 30, 40, 50, 60, 70, 80, 90):
        with count_queries() as statements:
            response = _save(client, path, milestone_id, mode, progress)
        assert response.status_code == 200 and f'aria-valuenow="{progress}"' in response.text
        seen.append(len(statements))
    assert set(seen) == {STATEMENTS[mode]}, (seen, statements)  # the 1st update as the 9th
    written = next(i for i, s in enumerate(statements) if s.lstrip().startswith("INSERT"))
    assert not any("FROM milestones" in s for s in statements[written:])  # nothing reloaded


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("mode", ["tab", "mine", "page"])
def test_a_stamped_form_looks_as_the_bound_form_would(app, world, mode, lang):
    milestone = factories.make_milestone(
        world.innovation, title='Uji "awal" & <cek>', progress=35, owner_id=world.innovator.id
    )
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True  # the token is stamped too
    try:
        with app.test_request_context("/"), force_locale(lang):
            login_user(world.innovator)
            queries.load_owner(milestone)

            def draw(form) -> str:
                context = {
                    "innovation": world.innovation,
                    "milestone": milestone,
                    "form": form,
                    "today": reader_today(),
                    "next_url": "/my/innovations",
                    "saved": True,
                    "milestone_mode": mode,
                    "updates": [],
                    "update_count": 0,
                }
                if mode == "page":
                    return render_block("innovations/milestone.html", "progress", **context)
                return render_template("innovations/_milestone.html", **context)

            bound = draw(
                ProgressForm(
                    formdata=None, prefix=f"m{milestone.id}", data={"progress": milestone.progress}
                )
            )
            for _ in range(2):  # rendered, then from the stamps kept
                assert draw(ProgressStamps()) == bound
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_the_answers_form_saves_again_with_its_token(app, client, world, as_):
    """The stamped form carries the request's CSRF token: a second save from the answer
    is accepted, as from the page."""
    milestone = factories.make_milestone(world.innovation, progress=10)
    db.session.commit()
    path = f"/innovations/{world.innovation.id}/milestones/{milestone.id}/progress"
    as_(world.innovator)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        answer = client.get("/my/innovations").text
        for progress in (20, 30, 40):
            token = re.search(
                rf'name="m{milestone.id}-csrf_token" type="hidden" value="([^"]+)"', answer
            )
            assert token, answer
            response = client.post(
                path,
                data={
                    f"m{milestone.id}-csrf_token": token.group(1),
                    f"m{milestone.id}-progress": str(progress),
                    "mode": "mine",
                },
                headers=HTMX,
            )
            assert response.status_code == 200, response.text[:300]
            answer = response.text
            assert f'aria-valuenow="{progress}"' in answer
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_save_from_the_tab_keeps_the_due_date_request_badge(client, world, as_):
    milestone = factories.make_milestone(world.innovation, owner_id=world.innovator.id)
    db.session.add(
        DueDateRequest(
            milestone_id=milestone.id,
            requested_by_id=world.innovator.id,
            to_date=milestone.due_date + timedelta(days=14),
            reason="The survey team is away",
        )
    )
    db.session.commit()
    path = f"/innovations/{world.innovation.id}/milestones/{milestone.id}/progress"
    as_(world.innovator)
    answer = _save(client, path, milestone.id, "tab", 40)
    assert answer.status_code == 200
    assert f"/milestones/{milestone.id}#due-date-request" in answer.text
