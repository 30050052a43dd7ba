"""Configuration fails closed: the public development key only where it is asked for."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import DEVELOPMENT_SECRET_KEY, ConfigError, secret_key

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("env", ["development", "testing"])
def test_the_development_key_is_used_only_when_asked_for(env):
    assert secret_key(env, None) == DEVELOPMENT_SECRET_KEY
    assert secret_key(env, "a-real-key-of-enough-length") == "a-real-key-of-enough-length"


@pytest.mark.parametrize("env", [None, "production", "staging", "Development"])
@pytest.mark.parametrize("secret", [None, "", "  ", DEVELOPMENT_SECRET_KEY, "short"])
def test_a_missing_or_default_key_is_refused_everywhere_else(env, secret):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        secret_key(env, secret)


def test_a_real_key_is_accepted_in_production():
    key = "f" * 64
    assert secret_key("production", key) == key
    assert secret_key(None, key) == key


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"INCUBATOR_ENV", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env",
    [{}, {"INCUBATOR_ENV": "production"}, {"SECRET_KEY": DEVELOPMENT_SECRET_KEY}],
    ids=["nothing-set", "production-without-key", "the-public-key"],
)
def test_the_cli_and_the_web_app_stop_at_start_with_a_clear_message(env):
    cli = _run("-m", "flask", "--app", "wsgi", "routes", **env)
    assert cli.returncode != 0
    assert "Incubator cannot start: SECRET_KEY is missing" in cli.stderr
    assert "Traceback" not in cli.stderr
    web = _run("-c", "import wsgi", **env)  # what gunicorn does first
    assert web.returncode == 4  # gunicorn's "App failed to load": it halts
    assert "Incubator cannot start" in web.stderr


def test_development_starts_with_the_built_in_key():
    cli = _run("-m", "flask", "--app", "wsgi", "routes", INCUBATOR_ENV="development")
    assert cli.returncode == 0, cli.stderr
    assert "/login" in cli.stdout
