"""Fixtures for the mentoring tests."""

import pytest


@pytest.fixture
def as_role(world, client, login):
    """as_role("mentor") logs the client in as that user of the world (out of any other)."""

    def _as(name: str):
        client.post("/logout")
        return login(getattr(world, name))

    return _as
