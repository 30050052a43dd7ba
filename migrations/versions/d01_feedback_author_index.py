"""dashboard: index feedback by author (each mentor's unanswered threads)

Revision ID: d01
Revises: r01
Create Date: 2026-11-30 14:00:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "d01"
down_revision = "c01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_feedback_author_id", "feedback", ["author_id"], unique=False)


def downgrade():
    op.drop_index("ix_feedback_author_id", table_name="feedback")
