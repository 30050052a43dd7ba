"""one reminder email a day: outbox items point at their bundle; rules know when they started

Revision ID: m01
Revises: k02
Create Date: 2026-11-30 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'm01'
down_revision = 'k02'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bundle_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_messages_bundle_id'), ['bundle_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_messages_bundle_id_outbox_messages'), 'outbox_messages', ['bundle_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('reminder_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('started_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('reminder_rules', schema=None) as batch_op:
        batch_op.drop_column('started_on')

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_bundle_id_outbox_messages'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_bundle_id'))
        batch_op.drop_column('bundle_id')
