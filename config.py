"""Settings from environment variables, with safe defaults for development.

`load_config()` fails closed: the built-in development key is accepted only when
INCUBATOR_ENV says development or testing explicitly; anything else (production, a
typo, nothing at all) needs a real SECRET_KEY, or the app and the CLI refuse to start.
"""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    # Relative SQLite paths are relative to the project, not the working directory.
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        url = "sqlite:///" + str(BASE_DIR / url.removeprefix("sqlite:///"))
    # Heroku-style URLs name the driver "postgres"; we use psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def engine_options(database_url: str) -> dict:
    """A dropped connection is replaced before use (pre-ping); an unreachable
    PostgreSQL fails in seconds, not after the web worker's timeout."""
    options: dict = {"pool_pre_ping": True}
    if database_url.startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": 5}
        # Per worker process: 5 kept open, up to 5 more at a peak, so at most 10. A worker
        # serves one request per thread (sync: 1, gthread: --threads), so 5 covers up to 5
        # threads; workers x 10 must stay below PostgreSQL's max_connections (README).
        options["pool_size"] = 5
        options["max_overflow"] = 5
    return options


# Public (it is in the source): anyone could sign sessions and email links with it.
DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 (development only)
DEVELOPMENT_ENVS = frozenset({"development", "testing"})
MIN_SECRET_KEY_LENGTH = 16


class ConfigError(RuntimeError):
    """A setting the app cannot run without is missing or unsafe; the message says which."""


def secret_key(env: str | None, secret: str | None) -> str:
    """The key to sign with, or ConfigError: the development key only where asked for."""
    secret = (secret or "").strip()
    if env in DEVELOPMENT_ENVS:
        return secret or DEVELOPMENT_SECRET_KEY
    where = f"INCUBATOR_ENV={env}" if env else "INCUBATOR_ENV is not set"
    if not secret or secret == DEVELOPMENT_SECRET_KEY:
        raise ConfigError(
            f"SECRET_KEY is missing or is the public development key ({where}). "
            "Set it to a long random value, e.g. "
            "python3 -c 'import secrets; print(secrets.token_hex(32))', or set "
            "INCUBATOR_ENV=development on your own machine."
        )
    if len(secret) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            f"SECRET_KEY is too short ({where}): use at least {MIN_SECRET_KEY_LENGTH} "
            "random characters."
        )
    return secret


def base_url(development: bool) -> str:
    """Where emails link to. `make run` passes the address it serves; production must say."""
    url = os.environ.get("BASE_URL", "").strip().rstrip("/")
    if url:
        return url
    if not development:
        raise ConfigError(
            "BASE_URL must be set outside development (the address people open, "
            "e.g. https://incubator.example.go.id): links in emails are built from it"
        )
    return "http://127.0.0.1:5000"


def load_config() -> dict:
    env = os.environ.get("INCUBATOR_ENV", "").strip() or None
    development = env in DEVELOPMENT_ENVS
    secret = secret_key(env, os.environ.get("SECRET_KEY"))
    database_url = normalise_database_url(
        os.environ.get("DATABASE_URL", "sqlite:///instance/incubator.db")
    )
    return {
        "ENV_NAME": env or "production",
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": not development,
        "REMEMBER_COOKIE_SECURE": not development,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        # A board left open all day must still post: the token is bound to the session.
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "BABEL_TRANSLATION_DIRECTORIES": str(BASE_DIR / "translations"),
        "LANGUAGES": ["id", "en"],
        "APP_TIMEZONE": os.environ.get("APP_TIMEZONE", "Asia/Makassar"),
        "BASE_URL": base_url(development),
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "file"),
        "MAIL_FILE_PATH": os.environ.get("MAIL_FILE_PATH", str(INSTANCE_DIR / "outbox")),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_TIMEOUT": int(os.environ.get("MAIL_TIMEOUT", "30")),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Incubator <incubator@localhost>"
        ),
        "SCHEDULER_IN_PROCESS": _bool("SCHEDULER_IN_PROCESS"),
        # How many reverse proxies set X-Forwarded-For in front of the app (ProxyFix).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "incubator"),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Per address: a workshop of 50 people behind one NAT address must get in.
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "100 per minute"),
        # Per account, failed logins only: this is the limit that stops guessing.
        "LOGIN_ACCOUNT_RATE_LIMIT": os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "5 per 15 minutes"),
        "RESET_RATE_LIMIT": os.environ.get("RESET_RATE_LIMIT", "60 per 15 minutes"),
        "RESET_ACCOUNT_RATE_LIMIT": os.environ.get("RESET_ACCOUNT_RATE_LIMIT", "5 per 15 minutes"),
        # Every route but the upload ones (see incubator/uploads.py), which allow MAX_UPLOAD_MB.
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads")),
        "MAX_UPLOAD_MB": int(os.environ.get("MAX_UPLOAD_MB", "20")),
        # Strict-Transport-Security: only where the site is served over HTTPS for good.
        "HSTS": not development,
    }
