"""The page list (tests/pages.py) stays complete and true, and pages say their language."""

import re

import pytest

from incubator.demo import DEMO_PASSWORD, seed_demo
from incubator.extensions import db
from tests.pages import ANON, EMAILS, NOT_PAGES, PAGES, Demo


def test_every_get_route_is_a_listed_page_or_says_why_not(app):
    routes = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods  # HEAD/OPTIONS come with GET
    }
    listed = {page.endpoint for page in PAGES}
    missing = sorted(routes - listed - set(NOT_PAGES))
    assert not missing, f"GET routes without an entry in tests/pages.py PAGES: {missing}"
    stale = sorted(
        (listed | set(NOT_PAGES))
        - routes
        - {p.endpoint for p in PAGES if p.endpoint.startswith("errors.")}
    )
    assert not stale, f"entries in tests/pages.py for routes that no longer exist: {stale}"
    assert len({page.key for page in PAGES}) == len(PAGES), "two entries share a name"


@pytest.fixture
def demo(app):
    seed_demo()
    db.session.commit()
    return Demo.load()


def test_each_page_answers_its_roles_in_both_languages(app, demo):
    for role in (*EMAILS, ANON):
        client = app.test_client()
        if role != ANON:
            response = client.post(
                "/login", data={"email": EMAILS[role], "password": DEMO_PASSWORD}
            )
            assert response.status_code == 302
        for lang in ("en", "id"):
            client.get(f"/login?lang={lang}" if role == ANON else f"/?lang={lang}")
            for page in PAGES:
                if role not in page.roles:
                    continue
                with app.test_request_context():
                    url = page.url(demo)
                response = client.get(url)
                assert response.status_code == page.status, (role, page.key, url)
                html = response.get_data(as_text=True)
                assert re.search(rf'<html lang="{lang}"', html), (role, page.key, lang)
