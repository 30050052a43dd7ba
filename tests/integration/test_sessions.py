"""Logins as records: logout ends that login's cookies, copied or not; "log out
everywhere" ends every login of the person; the remember-me cookie is SameSite=Lax."""

import pytest
from sqlalchemy import func, select

from incubator.extensions import db
from incubator.models import LoginSession, User
from tests import factories

PRIVATE = "/account/password"


def _log_in(client, user, remember=True):
    response = client.post(
        "/login",
        data={"email": user.email, "password": factories.PASSWORD, "remember": "y"}
        if remember
        else {"email": user.email, "password": factories.PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(PRIVATE).status_code == 200
    return client


def _copy(client, name):
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def _replay(app, **cookies):
    """A new browser that only has the copied cookies."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief.get(PRIVATE)


def _refused(response):
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_copied_session_cookie_is_refused_after_logout(app, client, world):
    _log_in(client, world.innovator, remember=False)
    copied = _copy(client, "session")
    assert _replay(app, session=copied).status_code == 200  # the copy works while logged in
    assert client.post("/logout").status_code == 302
    assert _refused(_replay(app, session=copied))


def test_a_copied_remember_me_cookie_is_refused_after_logout(app, client, world):
    _log_in(client, world.innovator)
    copied = _copy(client, "remember_token")
    assert _replay(app, remember_token=copied).status_code == 200
    assert client.post("/logout").status_code == 302
    assert _refused(_replay(app, remember_token=copied))
    assert client.get_cookie("remember_token") is None  # and the browser forgot it


def test_logout_ends_only_that_login(app, world):
    phone, laptop = app.test_client(), app.test_client()
    _log_in(phone, world.innovator)
    _log_in(laptop, world.innovator)
    assert phone.post("/logout").status_code == 302
    assert _refused(phone.get(PRIVATE))
    assert laptop.get(PRIVATE).status_code == 200


def test_log_out_everywhere_ends_every_login_of_the_person(app, world):
    phone, laptop, other = app.test_client(), app.test_client(), app.test_client()
    _log_in(phone, world.innovator)
    _log_in(laptop, world.innovator)
    _log_in(other, world.mentor)
    copied = _copy(phone, "remember_token")
    laptop.get("/login?lang=en")
    response = laptop.post("/account/logout-everywhere", follow_redirects=True)
    assert "You have logged out on every device." in response.text
    assert _refused(laptop.get(PRIVATE))
    assert _refused(phone.get(PRIVATE))
    assert _refused(_replay(app, remember_token=copied))
    assert other.get(PRIVATE).status_code == 200  # someone else's login is untouched
    count = select(func.count()).select_from(LoginSession)
    assert db.session.scalar(count.where(LoginSession.user_id == world.innovator.id)) == 0


def test_log_out_everywhere_is_a_post_behind_login(client, world):
    assert client.get("/account/logout-everywhere").status_code == 405
    assert _refused(client.post("/account/logout-everywhere"))


def test_the_profile_page_offers_to_log_out_everywhere(client, world):
    _log_in(client, world.innovator)
    page = client.get("/account?lang=en").text
    assert 'action="/account/logout-everywhere"' in page
    assert "Log out everywhere" in page


def test_the_remember_me_cookie_is_http_only_and_same_site_lax(client, world):
    response = client.post(
        "/login",
        data={"email": world.innovator.email, "password": factories.PASSWORD, "remember": "y"},
    )
    header = next(h for h in response.headers.getlist("Set-Cookie") if "remember_token" in h)
    assert "SameSite=Lax" in header and "HttpOnly" in header


@pytest.mark.parametrize(
    "forged",
    ["{id}", "{id}:{token}", "{id}:{token}:", "{id}:{token}:made-up", "x:{token}:k", "9" * 40],
)
def test_a_forged_login_id_in_a_signed_session_is_refused(app, world, forged):
    """Even someone holding the key to sign cookies needs a live login's key."""
    user = db.session.get(User, world.innovator.id)
    thief = app.test_client()
    with thief.session_transaction() as session:
        session["_user_id"] = forged.format(id=user.id, token=user.session_token)
        session["_fresh"] = True
    assert _refused(thief.get(PRIVATE))
