"""board: the board index covers is_proposal, so column counts read only the index

Revision ID: e01
Revises: d01
Create Date: 2026-11-30 16:30:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "e01"
down_revision = "d01"
branch_labels = None
depends_on = None

BOARD = ["programme_id", "state", "stage", "position"]


def upgrade():
    # Every board count filters on is_proposal: without it in the index, counting a
    # column of a 10,000-card programme read each card's row (about 4 ms on SQLite).
    with op.batch_alter_table("innovations") as batch_op:
        batch_op.drop_index("ix_innovations_board")
        batch_op.create_index("ix_innovations_board", [*BOARD, "is_proposal"], unique=False)


def downgrade():
    with op.batch_alter_table("innovations") as batch_op:
        batch_op.drop_index("ix_innovations_board")
        batch_op.create_index("ix_innovations_board", BOARD, unique=False)
