"""programme details: cohort year, description, start and end dates

Revision ID: s002
Revises: s001
Create Date: 2026-11-30 06:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "s002"
down_revision = "s001"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN: a batch copy of `programmes` on SQLite (foreign_keys=ON) would
    # cascade-delete everything that belongs to a programme.
    op.add_column("programmes", sa.Column("cohort_year", sa.Integer(), nullable=True))
    op.add_column(
        "programmes", sa.Column("description", sa.Text(), server_default="", nullable=False)
    )
    op.add_column("programmes", sa.Column("starts_on", sa.Date(), nullable=True))
    op.add_column("programmes", sa.Column("ends_on", sa.Date(), nullable=True))


def downgrade():
    op.drop_column("programmes", "ends_on")
    op.drop_column("programmes", "starts_on")
    op.drop_column("programmes", "description")
    op.drop_column("programmes", "cohort_year")
