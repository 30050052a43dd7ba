"""The two partials the innovation page includes: content, forms, unique ids, fixed queries."""

import re
from collections import Counter

import pytest
from flask import render_template_string
from sqlalchemy import select

from incubator.auth.door import innovation_view
from incubator.extensions import db
from incubator.models import Feedback, Milestone, RapidAssessment
from tests import factories

# Stands in for the innovation page of the innovations blueprint.
PAGE = """{% extends "base.html" %}{% block content %}
<section id="tab">{% include "mentoring/_innovation_tab.html" %}</section>
{% for milestone in milestones %}
<section class="milestone"><h3>{{ milestone.title }}</h3>
{% include "mentoring/_milestone_feedback.html" %}</section>
{% endfor %}{% endblock %}"""


@pytest.fixture
def page_app(app):
    @app.get("/_test/innovation/<int:innovation_id>")
    @innovation_view()
    def _innovation_page(innovation):
        milestones = db.session.scalars(
            select(Milestone).where(Milestone.innovation_id == innovation.id).order_by(Milestone.id)
        ).all()
        return render_template_string(PAGE, innovation=innovation, milestones=milestones)

    return app


def _url(world):
    return f"/_test/innovation/{world.innovation.id}"


def _feedback(world, milestone=None, body="Hello", author=None):
    db.session.add(
        Feedback(
            innovation_id=world.innovation.id,
            milestone_id=milestone.id if milestone else None,
            author_id=(author or world.mentor).id,
            body=body,
        )
    )


def test_tab_and_milestone_feedback_for_the_mentor(page_app, world, as_role):
    milestone = factories.make_milestone(world.innovation, title="Uji coba")
    _feedback(world, body="On the *whole*")
    _feedback(world, milestone, body="On the **milestone**")
    db.session.commit()
    page = as_role("mentor").get(_url(world) + "?lang=en").text
    tab, milestones = page.split('<section class="milestone">')
    assert world.mentor.name in tab
    assert "No rapid assessment yet." in tab and "Record an assessment" in tab
    assert "<em>whole</em>" in tab and "<strong>milestone</strong>" not in tab
    assert "including 1 message on milestones" in tab
    assert "<strong>milestone</strong>" in milestones
    assert f'action="/innovations/{world.innovation.id}/feedback"' in tab
    assert f"/feedback/milestones/{milestone.id}" in milestones
    ids = Counter(re.findall(r' id="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []


def test_innovator_may_reply_but_not_give(page_app, world, as_role):
    milestone = factories.make_milestone(world.innovation)
    _feedback(world, milestone)
    db.session.commit()
    page = as_role("innovator").get(_url(world) + "?lang=en").text
    assert "/replies" in page
    assert f"/feedback/milestones/{milestone.id}" not in page
    assert "Scores and history" in page


def test_tab_shows_the_latest_assessment(page_app, world, as_role):
    db.session.add(
        RapidAssessment(
            innovation_id=world.innovation.id,
            mentor_id=world.mentor.id,
            novelty=5,
            benefit=4,
            no_added_burden=3,
            within_authority=2,
            replicable=1,
        )
    )
    db.session.commit()
    page = as_role("coordinator").get(_url(world) + "?lang=en").text
    assert "Total 15 of 25" in page
    assert "Assign mentors and see the history" in page


def test_posting_from_the_innovation_page_returns_there(page_app, world, as_role):
    milestone = factories.make_milestone(world.innovation)
    db.session.commit()
    client = as_role("mentor")
    response = client.post(
        f"/innovations/{world.innovation.id}/feedback/milestones/{milestone.id}",
        data={"body": "From the page", "next": _url(world)},
    )
    assert response.status_code == 303
    assert response.headers["Location"].startswith(_url(world) + "#feedback-")


def test_htmx_post_keeps_the_page_as_next(page_app, world, as_role):
    client = as_role("mentor")
    response = client.post(
        f"/innovations/{world.innovation.id}/feedback",
        data={"body": "Via htmx", "next": _url(world)},
        headers={"HX-Request": "true", "HX-Current-URL": f"http://localhost{_url(world)}"},
    )
    assert response.status_code == 200
    assert f'name="next" type="hidden" value="{_url(world)}"' in response.text


def test_innovation_page_queries_do_not_grow_with_milestones(
    page_app, world, as_role, count_queries
):
    client = as_role("mentor")
    milestone = factories.make_milestone(world.innovation)
    _feedback(world, milestone)
    db.session.commit()

    def statements() -> int:
        with count_queries() as seen:
            assert client.get(_url(world)).status_code == 200
        return len(seen)

    few = statements()
    for _ in range(8):
        milestone = factories.make_milestone(world.innovation)
        _feedback(world, milestone, author=factories.make_user("mentor"))
        _feedback(world, milestone)
    db.session.commit()
    # One more row from the test's own milestone query is the only difference allowed: none.
    assert statements() == few
