"""Errors and outcomes sit in live regions, so a screen reader says them (issue 16, point 5).

The browser tests (tests/e2e/test_a11y_keyboard.py) hear them in place; these check the
markup of the answers that carry them, full pages and htmx fragments alike.
"""

import re

import pytest

from incubator.extensions import db
from tests import factories

HX = {"HX-Request": "true"}


@pytest.fixture
def client(app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def error_messages(html: str) -> list[str]:
    return re.findall(r'<div id="[^"]+-error"[^>]*class="invalid-feedback[^"]*"[^>]*>', html)


def test_the_page_has_a_live_region_for_htmx_results(client, world, login):
    login(world.coordinator)
    html = client.get(f"/programmes/{world.programme.slug}/board").get_data(as_text=True)
    assert re.search(r'<div id="announcer"[^>]*role="status"[^>]*aria-live="polite"', html)
    assert re.search(r'<div id="board-messages" aria-live="polite"', html)


def test_full_page_form_errors_are_alerts(client, world, login):
    login(world.coordinator)
    response = client.post(f"/programmes/{world.programme.slug}/innovations/new", data={})
    assert response.status_code in (400, 422)
    found = error_messages(response.get_data(as_text=True))
    assert found
    assert all('role="alert"' in tag for tag in found), found


def test_htmx_progress_error_and_success_are_announced(client, world, login):
    milestone = factories.make_milestone(world.innovation, title="Survey")
    db.session.commit()
    login(world.innovator)
    url = f"/innovations/{world.innovation.id}/milestones/{milestone.id}/progress"
    prefix = f"m{milestone.id}-"
    refused = client.post(url, data={f"{prefix}progress": "150"}, headers=HX)
    assert refused.status_code == 422
    found = error_messages(refused.get_data(as_text=True))
    assert found and all('role="alert"' in tag for tag in found), found

    saved = client.post(url, data={f"{prefix}progress": "40"}, headers=HX)
    assert saved.status_code == 200
    assert re.search(
        r'role="status" data-announce>\s*Progress saved\.', saved.get_data(as_text=True)
    )


def test_htmx_feedback_error_and_success_are_announced(client, world, login):
    login(world.mentor)
    url = f"/innovations/{world.innovation.id}/feedback"
    refused = client.post(url, data={"body": ""}, headers=HX)
    assert refused.status_code == 422
    found = error_messages(refused.get_data(as_text=True))
    assert found and all('role="alert"' in tag for tag in found), found

    sent = client.post(url, data={"body": "Looks good"}, headers=HX)
    assert sent.status_code == 200
    assert re.search(r'role="status" data-announce>Feedback sent\.', sent.get_data(as_text=True))
