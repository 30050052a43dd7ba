"""board: column counts kept by triggers, so a column's head does not count its cards

Revision ID: j01
Revises: f01
Create Date: 2026-12-01 00:20:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "j01"
down_revision = "f01"
branch_labels = None
depends_on = None

# The counts follow every INSERT, DELETE and UPDATE of innovations, whoever writes it
# (the app, a bulk import, a script): a card counts where it is unless it is a proposal.
# Rows are added when a column first has a card and kept at 0 after. A decrement is a
# plain UPDATE: a missing row (deleted with its programme) has nothing to count down.
#
# On PostgreSQL two moves in opposite directions would lock the same two count rows in
# opposite orders and deadlock; the function takes them in key order. SQLite has one
# writer at a time.
#
# Careful: a batch_alter_table that recreates `innovations` on SQLite drops these
# triggers. Create them again after it (tests/integration/board/test_column_counts.py
# fails if the counts stop following).

POSTGRESQL = [
    """
CREATE FUNCTION column_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    leaving boolean := false;
    arriving boolean := false;
BEGIN
    IF TG_OP <> 'INSERT' THEN leaving := NOT OLD.is_proposal; END IF;
    IF TG_OP <> 'DELETE' THEN arriving := NOT NEW.is_proposal; END IF;
    IF arriving AND (NOT leaving OR (NEW.programme_id, NEW.state, NEW.stage)
                                    < (OLD.programme_id, OLD.state, OLD.stage)) THEN
        INSERT INTO column_counts (programme_id, state, stage, count)
        VALUES (NEW.programme_id, NEW.state, NEW.stage, 1)
        ON CONFLICT (programme_id, state, stage) DO UPDATE SET count = column_counts.count + 1;
        arriving := false;
    END IF;
    IF leaving THEN
        UPDATE column_counts SET count = count - 1
        WHERE programme_id = OLD.programme_id AND state = OLD.state AND stage = OLD.stage;
    END IF;
    IF arriving THEN
        INSERT INTO column_counts (programme_id, state, stage, count)
        VALUES (NEW.programme_id, NEW.state, NEW.stage, 1)
        ON CONFLICT (programme_id, state, stage) DO UPDATE SET count = column_counts.count + 1;
    END IF;
    RETURN NULL;
END
$$""",
    """
CREATE TRIGGER column_counts_insert AFTER INSERT ON innovations
FOR EACH ROW WHEN (NOT NEW.is_proposal) EXECUTE FUNCTION column_counts_follow()""",
    """
CREATE TRIGGER column_counts_delete AFTER DELETE ON innovations
FOR EACH ROW WHEN (NOT OLD.is_proposal) EXECUTE FUNCTION column_counts_follow()""",
    """
CREATE TRIGGER column_counts_update
AFTER UPDATE OF programme_id, state, stage, is_proposal ON innovations FOR EACH ROW
WHEN ((OLD.programme_id, OLD.state, OLD.stage, OLD.is_proposal)
      IS DISTINCT FROM (NEW.programme_id, NEW.state, NEW.stage, NEW.is_proposal))
EXECUTE FUNCTION column_counts_follow()""",
]

_SQLITE_ADD = """
    INSERT INTO column_counts (programme_id, state, stage, count)
    SELECT NEW.programme_id, NEW.state, NEW.stage, 1 WHERE NOT NEW.is_proposal
    ON CONFLICT (programme_id, state, stage) DO UPDATE SET count = count + 1;"""
_SQLITE_REMOVE = """
    UPDATE column_counts SET count = count - 1
    WHERE NOT OLD.is_proposal
      AND programme_id = OLD.programme_id AND state = OLD.state AND stage = OLD.stage;"""

SQLITE = [
    f"CREATE TRIGGER column_counts_insert AFTER INSERT ON innovations BEGIN{_SQLITE_ADD}\nEND",
    f"CREATE TRIGGER column_counts_delete AFTER DELETE ON innovations BEGIN{_SQLITE_REMOVE}\nEND",
    f"""CREATE TRIGGER column_counts_update
AFTER UPDATE OF programme_id, state, stage, is_proposal ON innovations
WHEN (OLD.programme_id, OLD.state, OLD.stage, OLD.is_proposal)
     IS NOT (NEW.programme_id, NEW.state, NEW.stage, NEW.is_proposal)
BEGIN{_SQLITE_REMOVE}{_SQLITE_ADD}
END""",
]

BACKFILL = """
INSERT INTO column_counts (programme_id, state, stage, count)
SELECT programme_id, state, stage, count(*) FROM innovations
WHERE NOT is_proposal GROUP BY programme_id, state, stage"""


def upgrade():
    op.create_table(
        "column_counts",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_column_counts_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("programme_id", "state", "stage", name=op.f("pk_column_counts")),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        # The counts must not miss a write made while they are filled.
        op.execute("LOCK TABLE innovations IN SHARE MODE")
    op.execute(BACKFILL)
    for statement in POSTGRESQL if postgresql else SQLITE:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER column_counts_{trigger} ON innovations")
        op.execute("DROP FUNCTION column_counts_follow()")
    else:
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER column_counts_{trigger}")
    op.drop_table("column_counts")
