"""Fixtures for the innovation pages: an English-speaking client and small helpers."""

import pytest
from sqlalchemy import func, select

from incubator.extensions import db
from incubator.models import ActivityEntry, Stage
from tests import factories


@pytest.fixture
def client(app):
    """The test client, reading pages in English unless a test asks otherwise."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def as_(client, login):
    """as_(user): log the client in as that user (out of any other first)."""

    def _as(user):
        client.post("/logout")
        return login(user)

    return _as


@pytest.fixture
def templates(world):
    """Two Creation templates and one Development template for the world's programme."""
    rows = factories.make_templates(
        world.programme,
        Stage.CREATION,
        [("Problem statement", 14, True), ("First version", 60, False)],
    )
    rows += factories.make_templates(
        world.programme, Stage.DEVELOPMENT, [("Dissemination plan", 30, True)]
    )
    db.session.commit()
    return rows


@pytest.fixture
def agency(world):
    agency = factories.make_agency(
        world.programme.region_id, "Dinas Kesehatan", programme=world.programme
    )
    db.session.commit()
    return agency


def fresh(model, ident):
    """The row as the database has it now (requests run in their own sessions)."""
    db.session.expire_all()
    return db.session.get(model, ident)


def verbs(innovation_id: int) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(ActivityEntry.verb)
            .where(ActivityEntry.innovation_id == innovation_id)
            .order_by(ActivityEntry.id)
        )
    )


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))
