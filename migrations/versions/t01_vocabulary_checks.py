"""the database knows the vocabulary: CHECK constraints on stage, state and category

Stages (innovations, milestones, milestone templates, stage transitions), innovation
states and categories were free strings. Values that differ from the vocabulary only
in case or surrounding spaces are normalised; an unknown category becomes "other".
Any other unknown stage or state stops the upgrade before it writes anything, with
the rows to fix. (The membership role got its CHECK in s001.)

Revision ID: t01
Revises: a001
Create Date: 2026-11-30 06:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 't01'
down_revision = 'a001'
branch_labels = None
depends_on = None

# Copied, not imported: a migration keeps the vocabulary it was written with.
STAGES = ("creation", "development", "institutionalisation")
STATES = ("active", "on_hold", "dropped", "institutionalised")
CATEGORIES = ("public_service", "governance", "other")

# table -> [(column, vocabulary)]
CHECKS = {
    "innovations": [("stage", STAGES), ("state", STATES), ("category", CATEGORIES)],
    "milestones": [("stage", STAGES)],
    "milestone_templates": [("stage", STAGES)],
    "stage_transitions": [("from_stage", STAGES), ("to_stage", STAGES)],
}
# Unknown values that have an obvious home; any other unknown value stops the upgrade.
FALLBACK = {("innovations", "category"): "other"}


def _in(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _unknown(table: str, column: str, values) -> list[tuple]:
    return op.get_bind().execute(sa.text(
        f"SELECT id, {column} FROM {table}"
        f" WHERE {column} IS NOT NULL AND lower(trim({column})) NOT IN ({_in(values)})"
        f" ORDER BY id"
    )).fetchall()


def upgrade():
    problems = [
        f"{table}.{column} of id {row_id}: {value!r}"
        for table, checks in CHECKS.items()
        for column, values in checks
        if (table, column) not in FALLBACK
        for row_id, value in _unknown(table, column, values)
    ]
    if problems:
        raise RuntimeError(
            "Values outside the vocabulary; fix them and upgrade again:\n  "
            + "\n  ".join(problems[:50])
        )
    for (table, column), fallback in FALLBACK.items():
        values = dict(CHECKS[table])[column]
        op.execute(
            f"UPDATE {table} SET {column} = '{fallback}'"
            f" WHERE lower(trim({column})) NOT IN ({_in(values)})"
        )
    for table, checks in CHECKS.items():
        for column, values in checks:
            op.execute(
                f"UPDATE {table} SET {column} = lower(trim({column}))"
                f" WHERE {column} <> lower(trim({column}))"
            )
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values in checks:
                batch_op.create_check_constraint(
                    op.f(f"ck_{table}_{column}"), f"{column} IN ({_in(values)})"
                )


def downgrade():
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, _values in checks:
                batch_op.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
