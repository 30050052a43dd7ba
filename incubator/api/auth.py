"""The API's door: a personal token (Authorization: Bearer) names the user, and the
same policy as the web pages decides. Errors are JSON: 401 without a live token, 404
for what the user may not see (as on the pages), 400 for bad parameters."""

import functools

from flask import abort, g, jsonify, request
from werkzeug.exceptions import HTTPException

from ..auth import policy
from ..auth.policy import Action
from ..extensions import db
from ..models import Innovation, Programme
from ..pipeline.api_tokens import user_for_token


class ApiError(HTTPException):
    def __init__(self, code: int, message: str, **extra):
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra

    def get_response(self, environ=None, scope=None):
        response = jsonify({"error": self.message, **self.extra})
        response.status_code = self.code
        if self.code == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="incubator"'
        return response


def bearer_user(required: bool):
    """The token's user (cached on g); None without a token when not `required`."""
    if "api_user" in g:
        return g.api_user
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        if required:
            raise ApiError(401, "An API token is required (Authorization: Bearer <token>).")
        g.api_user = None
        return None
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "Send the token as: Authorization: Bearer <token>.")
    user = user_for_token(token.strip())
    if user is None:
        raise ApiError(401, "The API token is unknown or revoked.")
    db.session.commit()  # last_used_at, at most once an hour
    g.api_user = user
    return user


def api_view(load=None, *, public: bool = False):
    """Authenticate (a token is optional when `public`), then `load(user, **url_args)`
    returns the objects the view receives before the user."""

    def decorate(view):
        @functools.wraps(view)
        def entered(**kwargs):
            user = bearer_user(required=not public)
            loaded = load(user, **kwargs) if load else ()
            rest = {k: v for k, v in kwargs.items() if k not in LOADED_ARGS}
            return view(*loaded, user, **rest)

        entered.through_door = True  # tests/integration/test_door.py
        return entered

    return decorate


LOADED_ARGS = {"slug", "innovation_id"}


def load_programme(user, slug: str, **_):
    programme = db.session.scalar(db.select(Programme).where(Programme.slug == slug))
    if programme is None or not policy.can(user, Action.VIEW_PROGRAMME, programme):
        raise ApiError(404, "Not found.")
    return (programme,)


def load_innovation(user, innovation_id: int, **_):
    innovation = db.session.get(Innovation, innovation_id)
    if innovation is None or not policy.can(user, Action.VIEW_INNOVATION, innovation):
        raise ApiError(404, "Not found.")
    return (innovation,)


def not_found():
    abort(404)
