"""reports: SPM sector and SDG goals on innovations, calendar tokens, stall setting

Revision ID: r01
Revises: i01
Create Date: 2026-11-30 09:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "r01"
down_revision = "i01"
branch_labels = None
depends_on = None

# Copied, not imported: a migration keeps the vocabulary it was written with.
SECTORS = (
    "education",
    "health",
    "public_works",
    "housing",
    "public_order",
    "social_affairs",
    "other",
)


def upgrade():
    op.add_column("innovations", sa.Column("spm_sector", sa.String(length=30), nullable=True))
    with op.batch_alter_table("innovations", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_innovations_spm_sector"),
            "spm_sector IN (" + ", ".join(f"'{s}'" for s in SECTORS) + ")",
        )
    op.create_table(
        "innovation_sdgs",
        sa.Column("innovation_id", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Integer(), nullable=False),
        sa.CheckConstraint("goal BETWEEN 1 AND 17", name=op.f("ck_innovation_sdgs_goal")),
        sa.ForeignKeyConstraint(
            ["innovation_id"],
            ["innovations.id"],
            name=op.f("fk_innovation_sdgs_innovation_id_innovations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("innovation_id", "goal", name=op.f("pk_innovation_sdgs")),
    )
    op.create_index(op.f("ix_innovation_sdgs_goal"), "innovation_sdgs", ["goal"], unique=False)
    # Plain ADD COLUMN on users and programmes: no batch copy (cascades on SQLite).
    op.add_column("users", sa.Column("calendar_token", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_users_calendar_token"), "users", ["calendar_token"], unique=True)
    op.add_column(
        "programmes",
        sa.Column("stall_days", sa.Integer(), server_default="30", nullable=False),
    )


def downgrade():
    op.drop_column("programmes", "stall_days")
    op.drop_index(op.f("ix_users_calendar_token"), table_name="users")
    op.drop_column("users", "calendar_token")
    op.drop_index(op.f("ix_innovation_sdgs_goal"), table_name="innovation_sdgs")
    op.drop_table("innovation_sdgs")
    with op.batch_alter_table("innovations", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_innovations_spm_sector"), type_="check")
        batch_op.drop_column("spm_sector")
