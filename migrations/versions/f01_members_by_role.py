"""people: index a programme's members by role

Revision ID: f01
Revises: e01
Create Date: 2026-11-30 22:00:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "f01"
down_revision = "e01"
branch_labels = None
depends_on = None


def upgrade():
    # The board's filter lists read a programme's first 51 mentors: without this index
    # that read every member of the programme (3,700 rows at 10,000 innovations).
    op.create_index(
        "ix_programme_members_role",
        "programme_members",
        ["programme_id", "role", "user_id"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_programme_members_role", table_name="programme_members")
