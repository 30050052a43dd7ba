"""Progress updates: inline with htmx, or a plain form post without JavaScript."""

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import ActivityEntry, Milestone, ProgressUpdate
from tests import factories
from tests.integration.innovations.conftest import count, fresh

HTMX = {"HX-Request": "true"}


@pytest.fixture
def milestone(world):
    milestone = factories.make_milestone(world.innovation, title="Pilot", progress=20)
    db.session.commit()
    return milestone


def url(world, milestone):
    return f"/innovations/{world.innovation.id}/milestones/{milestone.id}/progress"


def fields(milestone, **values):
    """The inline forms are prefixed by milestone, so several fit on one page."""
    return {f"m{milestone.id}-{name}": value for name, value in values.items()}


def updates(milestone_id):
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(ProgressUpdate)
            .where(ProgressUpdate.milestone_id == milestone_id)
            .order_by(ProgressUpdate.id)
        )
    )


def test_plain_post_records_progress_and_redirects_back(client, world, as_, milestone):
    as_(world.innovator)
    response = client.post(
        url(world, milestone),
        data={
            **fields(
                milestone,
                progress="40",
                note="Trained two nurses",
                evidence_url="https://example.org/photo.jpg",
            ),
            "next": "/my/innovations#milestone-1",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/my/innovations#milestone-1"
    assert fresh(Milestone, milestone.id).progress == 40
    [update] = updates(milestone.id)
    assert (update.from_progress, update.to_progress, update.author_id) == (
        20,
        40,
        world.innovator.id,
    )
    assert update.note == "Trained two nurses"
    assert update.evidence_url == "https://example.org/photo.jpg"
    entry = db.session.scalars(
        select(ActivityEntry).where(ActivityEntry.verb == "progress_recorded")
    ).one()
    assert (entry.details["from_progress"], entry.details["to_progress"]) == (20, 40)


def test_htmx_post_returns_the_widget(client, world, as_, milestone):
    as_(world.innovator)
    response = client.post(
        url(world, milestone), data=fields(milestone, progress="55"), headers=HTMX
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert f'id="progress-{milestone.id}"' in response.text
    assert "Progress saved." in response.text
    assert 'aria-valuenow="55"' in response.text
    assert fresh(Milestone, milestone.id).progress == 55


def test_hundred_marks_done_and_lower_reopens(client, world, as_, milestone):
    as_(world.innovator)
    client.post(url(world, milestone), data=fields(milestone, progress="100"))
    done = fresh(Milestone, milestone.id)
    assert done.progress == 100 and done.done_at is not None

    page = client.get(f"/innovations/{world.innovation.id}?tab=milestones").text
    assert 'data-status="done"' in page and "Completed on" in page

    client.post(url(world, milestone), data=fields(milestone, progress="80", note="Found a bug"))
    reopened = fresh(Milestone, milestone.id)
    assert reopened.progress == 80 and reopened.done_at is None
    assert [(u.from_progress, u.to_progress) for u in updates(milestone.id)] == [
        (20, 100),
        (100, 80),
    ]


def test_history_is_shown_with_the_milestone(client, world, as_, milestone):
    as_(world.innovator)
    client.post(url(world, milestone), data=fields(milestone, progress="30", note="Week one"))
    client.post(url(world, milestone), data=fields(milestone, progress="45", note="Week two"))
    page = client.get(f"/innovations/{world.innovation.id}?tab=milestones").text
    assert "Week one" in page and "Week two" in page
    assert page.index("Week two") < page.index("Week one")  # newest first


@pytest.mark.parametrize("value", ["-1", "101", "abc", "", "1.5", "1e2", "99999999999999999999"])
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_progress_is_refused_and_changes_nothing(client, world, as_, milestone, value, htmx):
    as_(world.innovator)
    response = client.post(
        url(world, milestone),
        data=fields(milestone, progress=value, note="should not be kept"),
        headers=HTMX if htmx else {},
    )
    assert response.status_code == 422
    assert ("<html" in response.text) is not htmx  # htmx gets the widget, others the page
    error = response.text.split(f'id="m{milestone.id}-progress-error"', 1)[1][:200]
    assert "from 0 to 100" in error
    assert fresh(Milestone, milestone.id).progress == 20
    assert updates(milestone.id) == []
    assert count(ActivityEntry) == 0


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url"),
        ({"evidence_url": "ftp://example.org/x"}, "evidence_url"),
        ({"evidence_url": "https://" + "e" * 2000 + ".org"}, "evidence_url"),
        ({"note": "n" * 2001}, "note"),
    ],
)
def test_bad_note_or_link_is_refused(client, world, as_, milestone, values, field):
    as_(world.innovator)
    response = client.post(url(world, milestone), data=fields(milestone, progress="50", **values))
    assert response.status_code == 422
    assert f'id="m{milestone.id}-{field}-error"' in response.text
    assert fresh(Milestone, milestone.id).progress == 20
    assert updates(milestone.id) == []


def test_same_progress_needs_a_note(client, world, as_, milestone):
    as_(world.innovator)
    response = client.post(url(world, milestone), data=fields(milestone, progress="20"))
    assert response.status_code == 422
    assert "Change the progress or add a note." in response.text
    ok = client.post(url(world, milestone), data=fields(milestone, progress="20", note="Waiting"))
    assert ok.status_code == 302
    assert len(updates(milestone.id)) == 1


def test_unsafe_next_falls_back_to_the_milestone_page(client, world, as_, milestone):
    as_(world.innovator)
    response = client.post(
        url(world, milestone), data={**fields(milestone, progress="30"), "next": "//evil.example"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/innovations/{world.innovation.id}/milestones/{milestone.id}"
    )


def test_coordinator_may_record_progress(client, world, as_, milestone):
    as_(world.coordinator)
    assert (
        client.post(url(world, milestone), data=fields(milestone, progress="35")).status_code == 302
    )
    assert fresh(Milestone, milestone.id).progress == 35


@pytest.mark.parametrize("role", ["mentor", "other_innovator"])
def test_mentors_and_other_innovators_may_not(client, world, as_, milestone, role):
    as_(getattr(world, role))
    response = client.post(url(world, milestone), data=fields(milestone, progress="90"))
    assert response.status_code == 403
    assert fresh(Milestone, milestone.id).progress == 20


def test_foreign_or_mismatched_milestone_is_not_found(client, world, as_, milestone):
    foreign = factories.make_milestone(world.foreign_innovation)
    db.session.commit()
    as_(world.coordinator)
    foreign_url = f"/innovations/{world.foreign_innovation.id}/milestones/{foreign.id}/progress"
    assert client.post(foreign_url, data=fields(foreign, progress="50")).status_code == 404
    mismatched = f"/innovations/{world.innovation.id}/milestones/{foreign.id}/progress"
    assert client.post(mismatched, data=fields(foreign, progress="50")).status_code == 404
    unknown = f"/innovations/{world.innovation.id}/milestones/999999/progress"
    assert client.post(unknown, data={"m999999-progress": "50"}).status_code == 404
    assert fresh(Milestone, foreign.id).progress == 0


def test_htmx_post_without_login_redirects_the_page(client, world, milestone):
    response = client.post(
        url(world, milestone), data=fields(milestone, progress="50"), headers=HTMX
    )
    assert response.status_code == 401
    assert "/login" in response.headers["HX-Redirect"]


# Each page that shows a progress form, the mode its form sends, and what htmx swaps.
PAGES = {
    "tab": ("/innovations/{innovation}?tab=milestones", "#milestone-{milestone}"),
    "mine": ("/my/innovations", "#milestone-{milestone}"),
    "page": ("/innovations/{innovation}/milestones/{milestone}", "#progress-{milestone}"),
}


def _ids(world, milestone) -> dict:
    return {"innovation": world.innovation.id, "milestone": milestone.id}


@pytest.mark.parametrize("mode", sorted(PAGES))
def test_each_page_tells_the_save_its_mode_and_target(client, world, as_, milestone, mode):
    as_(world.innovator)
    page, target = (part.format(**_ids(world, milestone)) for part in PAGES[mode])
    form = client.get(page).text.split(f'id="progress-{milestone.id}"', 1)[1]
    form = form.split("</form>", 1)[0]
    assert f'hx-target="{target}"' in form
    assert f'name="mode" value="{mode}"' in form


@pytest.mark.parametrize("mode", ["tab", "mine"])
def test_a_save_in_a_list_returns_the_whole_item_with_its_new_status(client, world, as_, mode):
    """A milestone set to 100 % loses its red overdue border at once, not on reload."""
    from datetime import date, timedelta

    late = factories.make_milestone(
        world.innovation, title="Late", progress=60, due_date=date.today() - timedelta(days=3)
    )
    factories.make_milestone(world.innovation, title="Earlier")
    db.session.commit()
    as_(world.innovator)
    page = client.get(PAGES[mode][0].format(**_ids(world, late))).text
    assert f'milestone milestone--overdue" id="milestone-{late.id}"' in page

    response = client.post(
        url(world, late),
        data={**fields(late, progress="100", note="Done"), "mode": mode},
        headers=HTMX,
    )
    assert response.status_code == 200
    item = response.text.strip()
    assert item.startswith("<li") and item.endswith("</li>")
    assert f'milestone milestone--done" id="milestone-{late.id}"' in item
    assert "milestone--overdue" not in item
    assert "Progress saved." in item and 'aria-valuenow="100"' in item
    assert f'name="mode" value="{mode}"' in item  # the next save keeps the mode
    if mode == "mine":  # compact (the group's heading names the innovation), form on demand
        assert "progress-history" not in item and "1 progress update" in item
        assert '<details class="progress-edit" open>' in item  # still open where one works
    else:  # the history, the owner, and the milestone's feedback, as in the tab
        assert '<details class="progress-history mt-2">' in item
        assert "Owner" in item and f'id="milestone-feedback-{late.id}"' in item


def test_a_save_on_the_milestone_page_keeps_its_history_open(client, world, as_, milestone):
    as_(world.innovator)
    client.post(url(world, milestone), data=fields(milestone, progress="30", note="Week one"))
    response = client.post(
        url(world, milestone),
        data={**fields(milestone, progress="45", note="Week two"), "mode": "page"},
        headers=HTMX,
    )
    assert response.status_code == 200
    widget = response.text.strip()
    assert widget.startswith(f'<div class="progress-widget" id="progress-{milestone.id}">')
    assert '<details class="progress-history mt-2" open>' in widget
    assert "Week one" in widget and "Week two" in widget
