"""The models and the migration chain describe the same schema, on both databases."""

from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from incubator.extensions import db


def _diff():
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrated_schema_matches_models(app):
    assert _diff() == []


def test_downgrade_to_base_and_up_again(app):
    tables_at_head = set(inspect(db.engine).get_table_names())
    assert {"innovations", "milestones", "outbox_messages", "users"} <= tables_at_head

    downgrade(revision="base")
    db.engine.dispose()
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}

    upgrade()
    db.engine.dispose()
    assert set(inspect(db.engine).get_table_names()) == tables_at_head
    assert _diff() == []


def test_outbox_dedupe_key_is_unique(app):
    unique = inspect(db.engine).get_unique_constraints("outbox_messages")
    indexes = inspect(db.engine).get_indexes("outbox_messages")
    columns = [c["column_names"] for c in unique] + [
        i["column_names"] for i in indexes if i["unique"]
    ]
    assert ["dedupe_key"] in columns


def _rows(sql: str) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def test_roles_move_onto_memberships_and_back(app):
    """s001 copies each user's global role onto all their memberships and makes
    coordinators organisers; its downgrade gives each person their strongest role."""
    downgrade(revision="0001")
    db.engine.dispose()
    with db.engine.begin() as conn:
        users = [
            (1, "coordinator"),  # coordinates two programmes
            (2, "mentor"),
            (3, "innovator"),
            (4, "coordinator"),  # in no programme: still an organiser
        ]
        for user_id, role in users:
            conn.execute(
                text(
                    "INSERT INTO users (id, email, name, password_hash, role, active,"
                    " mentor_capacity, session_token, created_at)"
                    " VALUES (:id, :email, :name, 'x', :role, TRUE, 5, :token, :created)"
                ),
                {
                    "id": user_id,
                    "email": f"u{user_id}@example.org",
                    "name": f"U{user_id}",
                    "role": role,
                    "token": f"t{user_id}",
                    "created": datetime(2026, 1, user_id, 8, 0),
                },
            )
        for programme_id in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO programmes (id, slug, name, timezone, wip_limits, archived,"
                    " created_at) VALUES (:id, :slug, :slug, 'Asia/Makassar', '{}', FALSE, :now)"
                ),
                {"id": programme_id, "slug": f"p{programme_id}", "now": datetime(2026, 1, 1)},
            )
        for programme_id, user_id in [(1, 1), (2, 1), (1, 2), (2, 3)]:
            conn.execute(
                text("INSERT INTO programme_members (programme_id, user_id) VALUES (:p, :u)"),
                {"p": programme_id, "u": user_id},
            )

    upgrade(revision="s001")
    db.engine.dispose()
    assert _rows(
        "SELECT programme_id, user_id, role FROM programme_members ORDER BY programme_id, user_id"
    ) == [(1, 1, "coordinator"), (1, 2, "mentor"), (2, 1, "coordinator"), (2, 3, "innovator")]
    # Members since their account was made (raw SQL: SQLite answers with text).
    joined = _rows("SELECT created_at, joined_at FROM programme_members WHERE user_id = 2")
    assert [tuple(str(v)[:19] for v in row) for row in joined] == [
        ("2026-01-02 08:00:00", "2026-01-02 08:00:00")
    ]
    organisers = _rows("SELECT id FROM users WHERE is_organiser ORDER BY id")
    assert organisers == [(1,), (4,)]
    assert "role" not in {c["name"] for c in inspect(db.engine).get_columns("users")}
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(text("UPDATE programme_members SET role = 'boss' WHERE user_id = 2"))

    # Now user 2 also coordinates programme 2: downgrading keeps the strongest role.
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO programme_members (programme_id, user_id, role, created_at)"
                " VALUES (2, 2, 'coordinator', :now)"
            ),
            {"now": datetime(2026, 2, 1)},
        )
    downgrade(revision="0001")
    db.engine.dispose()
    roles = _rows("SELECT id, role FROM users ORDER BY id")
    assert roles == [(1, "coordinator"), (2, "coordinator"), (3, "innovator"), (4, "coordinator")]

    upgrade()
    db.engine.dispose()
    assert _diff() == []
