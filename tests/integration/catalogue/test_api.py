"""The read API: tokens, the permission matrix, pagination, filters, OpenAPI."""

import re

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import ApiToken, Stage
from tests import factories
from tests.integration.catalogue.conftest import publish


def _token(client, as_, user, name="script") -> str:
    """Make a token through the settings page, as a person would."""
    as_(user)
    response = client.post("/account/api-tokens", data={"name": name})
    assert response.status_code == 201
    html = response.get_data(as_text=True)
    [token] = re.findall(r'id="new-token"[^>]*value="([^"]+)"', html)
    client.post("/logout")
    return token


def _get(client, url, token=None, **headers):
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.get(url, headers=headers)


def test_a_token_is_shown_once_and_stored_hashed(world, as_, client):
    token = _token(client, as_, world.innovator)
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == world.innovator.id))
    assert token.startswith("inc_") and row.token_hash != token and token not in row.token_hash
    as_(world.innovator)
    page = client.get("/account/api-tokens").get_data(as_text=True)
    assert row.prefix in page and token not in page
    assert "/account/api-tokens" in client.get("/account").get_data(as_text=True)


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer inc_wrong", "Basic dXNlcjpwdw==", "Bearer " + "x" * 500],
)
def test_programmes_need_a_live_token(world, client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/programmes", headers=headers)
    assert response.status_code == 401
    assert response.is_json and response.get_json()["error"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_at_once(world, as_, client):
    token = _token(client, as_, world.innovator)
    assert _get(client, "/api/v1/programmes", token).status_code == 200
    as_(world.innovator)
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == world.innovator.id))
    assert client.post(f"/account/api-tokens/{row.id}/revoke").status_code == 302
    client.post("/logout")
    response = _get(client, "/api/v1/programmes", token)
    assert response.status_code == 401 and "revoked" in response.get_json()["error"]
    # Someone else's token id: 404, nothing revoked.
    other = _token(client, as_, world.mentor)
    as_(world.innovator)
    mentor_row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == world.mentor.id))
    assert client.post(f"/account/api-tokens/{mentor_row.id}/revoke").status_code == 404
    assert _get(client, "/api/v1/programmes", other).status_code == 200


def test_the_same_policy_as_the_pages(world, as_, client):
    token = _token(client, as_, world.innovator)
    body = _get(client, "/api/v1/programmes", token).get_json()
    assert [p["slug"] for p in body["data"]] == [world.programme.slug]
    assert body["data"][0]["your_role"] == "innovator"
    slug = world.programme.slug
    assert _get(client, f"/api/v1/programmes/{slug}", token).status_code == 200
    # Another programme: 404, as on the pages (its existence is not told).
    foreign = world.foreign_programme.slug
    assert _get(client, f"/api/v1/programmes/{foreign}", token).status_code == 404
    assert _get(client, f"/api/v1/programmes/{foreign}/innovations", token).status_code == 404
    assert (
        _get(client, f"/api/v1/innovations/{world.foreign_innovation.id}", token).status_code == 404
    )
    assert _get(client, "/api/v1/innovations/99999999", token).status_code == 404
    # A proposal of someone else: hidden from an innovator, as on the page.
    proposal = factories.make_innovation(
        world.programme, owner=world.other_innovator, is_proposal=True
    )
    db.session.commit()
    assert _get(client, f"/api/v1/innovations/{proposal.id}", token).status_code == 404
    # Without a token the private part is closed even for a logged-in browser.
    as_(world.innovator)
    assert client.get(f"/api/v1/programmes/{slug}").status_code == 401


def test_innovations_with_stage_state_and_milestones(world, as_, client):
    factories.make_milestone(world.innovation, title="Uji coba", progress=40)
    db.session.commit()
    token = _token(client, as_, world.coordinator)
    body = _get(client, f"/api/v1/innovations/{world.innovation.id}", token).get_json()
    assert body["stage"] == "creation" and body["state"] == "active"
    assert [(m["title"], m["progress"], m["done"]) for m in body["milestones"]] == [
        ("Uji coba", 40, False)
    ]


def test_cursor_pagination_and_board_filters(world, as_, client, count_queries):
    for n in range(5):
        factories.make_innovation(world.programme, title=f"Batch {n}", stage=Stage.DEVELOPMENT)
    db.session.commit()
    token = _token(client, as_, world.coordinator)
    url = f"/api/v1/programmes/{world.programme.slug}/innovations"
    seen, cursor = [], None
    while True:
        query = f"{url}?limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = _get(client, query, token).get_json()
        seen += [i["title"] for i in body["data"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 7 and len(set(seen)) == 7  # every innovation once
    body = _get(client, f"{url}?stage=development&q=batch", token).get_json()
    assert sorted(i["title"] for i in body["data"]) == [f"Batch {n}" for n in range(5)]
    body = _get(client, f"{url}?mine=1", token).get_json()
    assert body["data"] == []
    for bad in ("limit=0", "limit=1000", "limit=x", "cursor=%%%", "cursor=LTE", "stage=launch"):
        response = _get(client, f"{url}?{bad}", token)
        assert response.status_code == 400, bad
        assert response.get_json()["error"]
    response = _get(client, f"{url}?region=abc", token)
    assert response.status_code == 400 and "region" in response.get_json()["fields"]
    # A page costs the same number of queries however many innovations it holds.
    with count_queries() as few:
        _get(client, f"{url}?limit=2", token)
    with count_queries() as more:
        _get(client, f"{url}?limit=7", token)
    assert len(more) == len(few)


def test_the_catalogue_part_needs_no_token(world, client):
    published = publish(world.other_innovation, summary="Antrian daring.")
    db.session.commit()
    body = client.get("/api/v1/catalogue").get_json()
    assert [i["id"] for i in body["data"]] == [published.id]
    entry = body["data"][0]
    assert entry["summary"] == "Antrian daring." and entry["url"].startswith(
        "http://incubator.test/katalog/"
    )
    assert client.get(f"/api/v1/catalogue/{published.id}").status_code == 200
    assert client.get(f"/api/v1/catalogue/{world.innovation.id}").status_code == 404
    assert client.get("/api/v1/catalogue?q=zzz").get_json()["data"] == []
    assert (
        client.get("/api/v1/catalogue", headers={"Authorization": "Bearer nope"}).status_code == 401
    )


def test_openapi_is_generated_from_the_routes(world, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in (
        "/api/v1/programmes",
        "/api/v1/programmes/{slug}",
        "/api/v1/programmes/{slug}/innovations",
        "/api/v1/innovations/{innovation_id}",
        "/api/v1/catalogue",
        "/api/v1/catalogue/{catalogue_id}",
    ):
        assert "get" in paths[path], path
    assert paths["/api/v1/programmes"]["get"]["security"] == [{"bearer": []}]
    assert "security" not in paths["/api/v1/catalogue"]["get"]
    assert "Innovation" in spec["components"]["schemas"]
