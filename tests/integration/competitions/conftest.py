"""Fixtures for competition entries: a small template the world's programme takes part in."""

from datetime import UTC, date, datetime

import pytest

from incubator.extensions import db
from incubator.models import Document, DocumentKind, Stage, StageTransition
from tests import factories
from tests.integration.innovations.conftest import as_, client, fresh  # noqa: F401

CLOSING = date(2026, 12, 31)


@pytest.fixture
def competition(world):
    template = factories.make_competition(world.programme, closing_date=CLOSING)
    db.session.commit()
    return template


@pytest.fixture
def entry(world, competition):
    entry = factories.make_entry(world.innovation, competition, by=world.innovator)
    db.session.commit()
    return entry


def add_document(innovation, kind=DocumentKind.OTHER, title="Bukti") -> Document:
    document = Document(
        innovation_id=innovation.id,
        kind=kind,
        title=title,
        filename="bukti.pdf",
        stored_name=f"{title}-{kind}-{innovation.id}-{factories.next_number()}.pdf",
        content_type="application/pdf",
        size_bytes=10,
    )
    db.session.add(document)
    db.session.flush()
    return document


def entered_development(innovation, on: datetime) -> StageTransition:
    move = StageTransition(
        innovation_id=innovation.id,
        from_stage=Stage.CREATION,
        to_stage=Stage.DEVELOPMENT,
        created_at=on.astimezone(UTC),
    )
    innovation.stage = Stage.DEVELOPMENT
    db.session.add(move)
    db.session.flush()
    return move
