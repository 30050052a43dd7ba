"""The innovation page: tabs, timeline in the reader's language, badges, no N+1."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from incubator.extensions import db
from incubator.models import ProgressUpdate, User, utcnow
from incubator.pipeline import activity
from tests import factories

TABS = ["overview", "milestones", "feedback", "history"]


@pytest.mark.parametrize("role", ["coordinator", "innovator", "mentor", "other_innovator"])
@pytest.mark.parametrize("tab", TABS)
def test_every_member_reads_every_tab(client, world, as_, role, tab):
    as_(getattr(world, role))
    page = client.get(f"/innovations/{world.innovation.id}?tab={tab}")
    assert page.status_code == 200
    assert world.innovation.title in page.text
    assert 'aria-current="page"' in page.text.split(f"tab-{tab}", 1)[0] or tab == "overview"
    fragment = client.get(f"/innovations/{world.innovation.id}/tabs/{tab}")
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and 'id="innovation-tabs"' in fragment.text


def test_unknown_tab_falls_back_to_the_overview(client, world, as_):
    as_(world.innovator)
    page = client.get(f"/innovations/{world.innovation.id}?tab=nope&lang=en")
    assert page.status_code == 200
    assert 'id="tab-overview"' in page.text and 'id="tab-nope"' not in page.text
    overview = page.text.split('id="innovation-tabs"', 1)[1].split('aria-current="page"', 1)[1]
    assert overview.split("</a>", 1)[0].endswith(">Overview")
    assert client.get(f"/innovations/{world.innovation.id}/tabs/nope").status_code == 404


def test_feedback_tab_shows_the_feedback(client, world, as_):
    from incubator.models import Feedback

    db.session.add(
        Feedback(innovation_id=world.innovation.id, author_id=world.mentor.id, body="Try a pilot")
    )
    db.session.commit()
    as_(world.innovator)
    for path in ("?tab=feedback", "/tabs/feedback"):
        response = client.get(f"/innovations/{world.innovation.id}{path}")
        assert response.status_code == 200
        tab = response.text.split('id="tab-feedback"', 1)[1]
        assert "Try a pilot" in tab and world.mentor.name in tab


def test_foreign_and_unknown_innovations_are_not_found(client, world, as_):
    as_(world.coordinator)
    for path in (f"/innovations/{world.foreign_innovation.id}", "/innovations/999999"):
        assert client.get(path).status_code == 404
        assert client.get(path + "/tabs/overview").status_code == 404


def test_page_needs_login(client, world):
    response = client.get(f"/innovations/{world.innovation.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_actions_follow_the_policy(client, world, as_):
    as_(world.innovator)
    page = client.get(f"/innovations/{world.innovation.id}").text
    assert "Edit profile" in page and "Put on hold" not in page
    as_(world.mentor)
    page = client.get(f"/innovations/{world.innovation.id}").text
    assert "Edit profile" not in page and "Put on hold" not in page
    as_(world.coordinator)
    page = client.get(f"/innovations/{world.innovation.id}").text
    assert "Edit profile" in page and "Put on hold" in page and "Drop" in page


def test_user_text_is_escaped(client, world, as_):
    world.innovation.title = "<script>alert(1)</script>"
    world.innovation.links = ["https://example.org/?q=<b>"]
    db.session.commit()
    as_(world.innovator)
    page = client.get(f"/innovations/{world.innovation.id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'rel="nofollow noopener noreferrer"' in page


def test_history_is_told_in_the_readers_language(client, world, as_):
    as_(world.innovator)
    client.post(
        f"/innovations/{world.innovation.id}/edit",
        data={
            "title": "Antrian Online",
            "category": world.innovation.category,
            "owner_id": str(world.innovator.id),
            "team": [str(world.innovator.id)],
            "version": str(world.innovation.version),
        },
    )
    name = world.innovator.name
    english = client.get(f"/innovations/{world.innovation.id}?tab=history&lang=en").text
    assert f"{name} changed the title." in english
    indonesian = client.get(f"/innovations/{world.innovation.id}?tab=history&lang=id").text
    assert f"{name} mengubah judul." in indonesian


def test_history_lists_every_kind_of_entry(client, world, as_):
    innovation = world.innovation
    for verb, details in [
        ("innovation_created", {"title": "T"}),
        ("state_changed", {"from_state": "active", "to_state": "on_hold", "reason": "Rain"}),
        ("stage_moved", {"from_stage": "creation", "to_stage": "development", "reason": ""}),
        ("progress_recorded", {"title": "Pilot", "from_progress": 10, "to_progress": 100}),
        ("something_new", {}),
    ]:
        activity.record(
            verb,
            actor=world.coordinator,
            programme_id=innovation.programme_id,
            innovation_id=innovation.id,
            **details,
        )
    db.session.commit()
    as_(world.innovator)
    page = client.get(f"/innovations/{innovation.id}?tab=history").text
    name = world.coordinator.name
    assert f"{name} registered the innovation." in page
    assert f"{name} changed the state from Active to On hold. Reason: Rain" in page
    assert f"{name} moved the innovation from Creation to Development." in page
    assert f"{name} completed the milestone &#34;Pilot&#34;." in page
    assert f"{name}: something new" in page


@time_machine.travel(datetime(2025, 3, 10, 1, 0, tzinfo=UTC), tick=False)
def test_overdue_and_due_soon_milestones_stand_out(client, world, as_):
    # 01:00 UTC is 09:00 in Asia/Makassar: "today" is 10 March there.
    today = date(2025, 3, 10)
    late = factories.make_milestone(world.innovation, title="Late", due_date=today - timedelta(1))
    factories.make_milestone(world.innovation, title="Today", due_date=today)
    factories.make_milestone(world.innovation, title="Soon", due_date=today + timedelta(3))
    factories.make_milestone(world.innovation, title="Later", due_date=today + timedelta(30))
    factories.make_milestone(
        world.innovation, title="Finished", due_date=today - timedelta(5), progress=100
    ).done_at = utcnow()
    db.session.commit()
    as_(world.innovator)
    page = client.get(f"/innovations/{world.innovation.id}?tab=milestones").text

    def status_of(title):
        card = page.split(f">{title}</a>", 1)[1].split("</li>", 1)[0]
        start = card.find('data-status="')
        return card[start + 13 : card.find('"', start + 13)] if start >= 0 else None

    assert status_of("Late") == "overdue"
    assert status_of("Today") == "due_today"
    assert status_of("Soon") == "due_soon"
    assert status_of("Later") is None
    assert status_of("Finished") == "done"
    assert f'class="card mb-2 milestone milestone--overdue" id="milestone-{late.id}"' in page


def _milestones_with_history(innovation, author, n: int) -> None:
    for i in range(n):
        milestone = factories.make_milestone(innovation, owner_id=author.id, progress=i)
        for step in range(3):
            db.session.add(
                ProgressUpdate(
                    milestone_id=milestone.id,
                    author_id=author.id,
                    from_progress=step,
                    to_progress=step + 1,
                )
            )


def _entries(innovation, actors, n: int) -> None:
    for i in range(n):
        activity.record(
            "progress_recorded",
            actor=actors[i % len(actors)],
            programme_id=innovation.programme_id,
            innovation_id=innovation.id,
            title=f"M{i}",
            from_progress=0,
            to_progress=10,
        )


@pytest.mark.parametrize("tab", TABS)
def test_tabs_run_a_fixed_number_of_queries(client, world, as_, count_queries, tab):
    """Ten times the milestones, updates and entries: the same number of queries."""
    innovation = world.innovation
    as_(world.innovator)
    counts = []
    for n in (2, 20):
        _milestones_with_history(innovation, world.innovator, n if not counts else n - 2)
        actors = [db.session.get(User, u.id) for u in (world.innovator, world.coordinator)]
        _entries(innovation, actors, n if not counts else n - 2)
        db.session.commit()
        with count_queries() as statements:
            response = client.get(f"/innovations/{innovation.id}?tab={tab}")
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
