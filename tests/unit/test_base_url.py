"""Links in emails: BASE_URL is the address served under `make run`, required in production."""

import os
import subprocess
from pathlib import Path

import pytest

from config import load_config

ROOT = Path(__file__).resolve().parents[2]


def test_production_without_base_url_says_so_at_start(monkeypatch):
    monkeypatch.setenv("INCUBATOR_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.delenv("BASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="BASE_URL must be set"):
        load_config()
    monkeypatch.setenv("BASE_URL", "https://incubator.example.go.id/")
    assert load_config()["BASE_URL"] == "https://incubator.example.go.id"


def test_development_falls_back_to_the_default_address(monkeypatch):
    monkeypatch.setenv("INCUBATOR_ENV", "development")
    monkeypatch.delenv("BASE_URL", raising=False)
    assert load_config()["BASE_URL"] == "http://127.0.0.1:5000"


def test_make_run_passes_the_host_and_port_it_serves():
    dry_run = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.1", "PORT=8123"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "BASE_URL"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    [line] = [line for line in dry_run.splitlines() if "flask run" in line]
    assert "BASE_URL=http://127.0.0.1:8123" in line
    assert "--port 8123" in line
