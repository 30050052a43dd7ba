"""Rate limits on login and "Forgot password?", per client address and per account.

Behind a reverse proxy the address is the client's only when ProxyFix trusts the
right number of proxies (`TRUSTED_PROXIES`); even then a workshop shares one NAT
address, so the per-address limits are generous and the per-account ones (keyed
on the submitted email, whether or not it has an account) stop the guessing.
Counters live in `RATELIMIT_STORAGE_URI` (Redis in production: shared by workers).
"""

import hashlib

from flask import current_app, request
from flask_limiter.util import get_remote_address

from ..extensions import limiter


def _config(name: str):
    return lambda: current_app.config[name]


def _submitted_account() -> str:
    email = (request.form.get("email") or "").strip().lower()
    # A digest: the key stays short, and the store never holds the address itself.
    return "account:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def _failed_login(response) -> bool:
    return response.status_code == 422


def login(view):
    """Every POST counts per address; only failed ones (422) count per account."""
    view = limiter.limit(
        _config("LOGIN_ACCOUNT_RATE_LIMIT"),
        key_func=_submitted_account,
        methods=["POST"],
        deduct_when=_failed_login,
        scope="login-account",
    )(view)
    return limiter.limit(
        _config("LOGIN_RATE_LIMIT"),
        key_func=get_remote_address,
        methods=["POST"],
        scope="login-address",
    )(view)


def password_reset(view):
    """Requests per address, and per account asked for (every request counts)."""
    view = limiter.limit(
        _config("RESET_ACCOUNT_RATE_LIMIT"),
        key_func=_submitted_account,
        methods=["POST"],
        scope="reset-account",
    )(view)
    return limiter.limit(
        _config("RESET_RATE_LIMIT"),
        key_func=get_remote_address,
        methods=["POST"],
        scope="reset-address",
    )(view)
