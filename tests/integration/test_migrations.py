"""The models and the migration chain describe the same schema, on both databases."""

from datetime import datetime

import pytest
from alembic import command as alembic_command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
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


def _vocabulary_rows() -> dict:
    return {
        "innovations": _rows("SELECT id, stage, state, category FROM innovations ORDER BY id"),
        "milestones": _rows("SELECT id, stage FROM milestones ORDER BY id"),
        "milestone_templates": _rows("SELECT id, stage FROM milestone_templates ORDER BY id"),
        "stage_transitions": _rows(
            "SELECT id, from_stage, to_stage FROM stage_transitions ORDER BY id"
        ),
    }


def _head(app) -> str:
    from alembic.script import ScriptDirectory

    config = app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_current_head()


def _version() -> str:
    return _rows("SELECT version_num FROM alembic_version")[0][0]


def _head() -> str:

    return ScriptDirectory.from_config(
        current_app.extensions["migrate"].migrate.get_config()
    ).get_current_head()


STAGE_OF_B = "UPDATE innovations SET stage = :stage WHERE id = :b"
BAD_VALUES = [
    ("innovations", "stage"),
    ("innovations", "state"),
    ("innovations", "category"),
    ("milestones", "stage"),
    ("milestone_templates", "stage"),
    ("stage_transitions", "from_stage"),
    ("stage_transitions", "to_stage"),
]


def test_the_database_knows_the_vocabulary(app, world):
    """t01: stage, state and category get CHECK constraints; near-misses already stored
    are normalised, an unknown category becomes "other", and an unknown stage stops
    the upgrade before it writes anything."""
    from incubator.models import Stage, StageTransition
    from tests import factories

    milestone = factories.make_milestone(world.innovation, title="Pilot")
    [template] = factories.make_templates(world.programme, Stage.CREATION, [("Plan", 7, True)])
    db.session.add(
        StageTransition(innovation_id=world.innovation.id, to_stage="creation", actor_id=None)
    )
    db.session.commit()
    ids = (world.innovation.id, world.other_innovation.id, milestone.id, template.id)
    db.session.remove()
    try:
        downgrade(revision="a001")
        db.engine.dispose()
        with db.engine.begin() as conn:
            for sql in (
                "UPDATE innovations SET stage = ' Creation', state = 'ON_HOLD',"
                " category = 'Inovasi lain' WHERE id = :a",
                "UPDATE innovations SET category = 'Governance ' WHERE id = :b",
                "UPDATE milestones SET stage = 'DEVELOPMENT' WHERE id = :m",
                "UPDATE milestone_templates SET stage = 'Institutionalisation' WHERE id = :t",
                "UPDATE stage_transitions SET to_stage = 'creation '",
            ):
                conn.execute(text(sql), dict(zip("abmt", ids, strict=True)))
            conn.execute(text(STAGE_OF_B), {"stage": "launch", "b": ids[1]})
        before = _vocabulary_rows()

        # Through Alembic itself: Flask-Migrate turns the error into a bare exit(1).
        config = app.extensions["migrate"].migrate.get_config()
        with pytest.raises(RuntimeError, match=rf"innovations.stage of id {ids[1]}: 'launch'"):
            alembic_command.upgrade(config, "head")
        db.engine.dispose()
        assert _version() == "a001" and _vocabulary_rows() == before  # nothing written

        with db.engine.begin() as conn:
            conn.execute(text(STAGE_OF_B), {"stage": "development", "b": ids[1]})
        upgrade()
        db.engine.dispose()
        rows = _vocabulary_rows()
        innovations = {row[0]: row[1:] for row in rows["innovations"]}
        assert innovations[ids[0]] == ("creation", "on_hold", "other")
        assert innovations[ids[1]] == ("development", "active", "governance")
        assert dict(rows["milestones"])[ids[2]] == "development"
        assert dict(rows["milestone_templates"])[ids[3]] == "institutionalisation"
        assert [row[1:] for row in rows["stage_transitions"]] == [(None, "creation")]
        assert _diff() == []

        for table, column in BAD_VALUES:
            with pytest.raises(IntegrityError), db.engine.begin() as conn:
                conn.execute(text(f"UPDATE {table} SET {column} = 'launch'"))

        downgrade(revision="a001")  # and the constraints go again
        db.engine.dispose()
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE milestones SET stage = 'anything'"))
            conn.execute(text("UPDATE milestones SET stage = 'creation'"))
    finally:
        upgrade()
        db.engine.dispose()
    assert _version() == _head() and _diff() == []
