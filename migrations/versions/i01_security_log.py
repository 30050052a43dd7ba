"""security log: logins, logouts and password changes

A new table only; nothing existing changes.

Revision ID: i01
Revises: g01
Create Date: 2026-11-30 09:20:00

"""
from alembic import op
import sqlalchemy as sa

import incubator.models.base


# revision identifiers, used by Alembic.
revision = 'i01'
down_revision = 'g01'
branch_labels = None
depends_on = None

# Copied, not imported: a migration keeps the vocabulary it was written with.
KINDS = (
    "login_succeeded", "login_failed", "logout", "password_changed", "password_reset",
    "password_set",
)


def upgrade():
    kinds = ", ".join(f"'{k}'" for k in KINDS)
    op.create_table('security_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('created_at', incubator.models.base.UTCDateTime(), nullable=False),
    sa.CheckConstraint(f"kind IN ({kinds})", name=op.f('ck_security_events_kind')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_security_events_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_security_events'))
    )
    with op.batch_alter_table('security_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_security_events_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_security_events_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('security_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_security_events_user_id'))
        batch_op.drop_index(batch_op.f('ix_security_events_created_at'))

    op.drop_table('security_events')
