"""The models and the migration chain describe the same schema, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

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
