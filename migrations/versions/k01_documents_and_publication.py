"""documents attached to innovations and milestones; results and publication of innovations

Revision ID: k01
Revises: h01
Create Date: 2026-11-30 09:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "k01"
down_revision = 'h01'
branch_labels = None
depends_on = None

# Copied, not imported: a migration keeps the vocabulary it was written with.
KINDS = ("regulation", "sop", "report", "photo", "proposal", "other")


def upgrade():
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("innovation_id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in KINDS) + ")", name=op.f("ck_documents_kind")
        ),
        sa.ForeignKeyConstraint(
            ["innovation_id"],
            ["innovations.id"],
            name=op.f("fk_documents_innovation_id_innovations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestones.id"],
            name=op.f("fk_documents_milestone_id_milestones"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_documents_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_documents_stored_name")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_documents_innovation_id"), ["innovation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_documents_milestone_id"), ["milestone_id"], unique=False
        )

    with op.batch_alter_table("innovations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("results", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("published_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("published_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("consent_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("consent_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_innovations_published_by_id_users"),
            "users",
            ["published_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_innovations_consent_by_id_users"),
            "users",
            ["consent_by_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("progress_updates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_progress_updates_document_id_documents"),
            "documents",
            ["document_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("progress_updates", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_progress_updates_document_id_documents"), type_="foreignkey"
        )
        batch_op.drop_column("document_id")

    with op.batch_alter_table("innovations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_innovations_consent_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_innovations_published_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("consent_by_id")
        batch_op.drop_column("consent_at")
        batch_op.drop_column("published_by_id")
        batch_op.drop_column("published_at")
        batch_op.drop_column("results")

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_milestone_id"))
        batch_op.drop_index(batch_op.f("ix_documents_innovation_id"))
    op.drop_table("documents")
