"""roles per programme, programme organisers, programme event log

Each user's global role moves onto every one of their memberships; coordinators
become organisers (the account-level right to create programmes); users.role goes.

Revision ID: s001
Revises: 0001
Create Date: 2026-11-30 05:55:00

"""
from alembic import op
import sqlalchemy as sa

import incubator.models.base


# revision identifiers, used by Alembic.
revision = 's001'
down_revision = '0001'
branch_labels = None
depends_on = None

ROLE_CHECK = "role IN ('coordinator', 'innovator', 'mentor')"


def upgrade():
    op.create_table('programme_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject_user_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', incubator.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_programme_events_actor_id_users')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_events_programme_id_programmes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subject_user_id'], ['users.id'], name=op.f('fk_programme_events_subject_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_events'))
    )
    with op.batch_alter_table('programme_events', schema=None) as batch_op:
        batch_op.create_index('ix_programme_events_log', ['programme_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_events_subject_user_id'), ['subject_user_id'], unique=False)

    # Plain ADD/DROP COLUMN on users: a batch copy would drop the table that others
    # reference, which SQLite (foreign_keys=ON) answers with cascading deletes.
    op.add_column('programme_members', sa.Column('role', sa.String(length=20), nullable=True))
    op.add_column('programme_members', sa.Column('created_at', incubator.models.base.UTCDateTime(), nullable=True))
    op.add_column('programme_members', sa.Column('joined_at', incubator.models.base.UTCDateTime(), nullable=True))
    op.execute(
        "UPDATE programme_members SET"
        " role = (SELECT users.role FROM users WHERE users.id = programme_members.user_id),"
        " created_at = (SELECT users.created_at FROM users WHERE users.id = programme_members.user_id),"
        " joined_at = (SELECT users.created_at FROM users WHERE users.id = programme_members.user_id)"
    )
    # programme_members is referenced by nothing, so copying it (SQLite) is safe.
    with op.batch_alter_table('programme_members', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=sa.String(length=20), nullable=False)
        batch_op.alter_column('created_at', existing_type=incubator.models.base.UTCDateTime(), nullable=False)
        batch_op.create_check_constraint(op.f('ck_programme_members_role'), ROLE_CHECK)
        batch_op.create_index(batch_op.f('ix_programme_members_user_id'), ['user_id'], unique=False)

    op.add_column('users', sa.Column('is_organiser', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute("UPDATE users SET is_organiser = TRUE WHERE role = 'coordinator'")
    op.drop_column('users', 'role')


def downgrade():
    op.add_column('users', sa.Column('role', sa.String(length=20), server_default='innovator', nullable=False))
    # The strongest role a person held anywhere becomes their one global role.
    op.execute(
        "UPDATE users SET role = CASE"
        " WHEN is_organiser OR EXISTS (SELECT 1 FROM programme_members m"
        "   WHERE m.user_id = users.id AND m.role = 'coordinator') THEN 'coordinator'"
        " WHEN EXISTS (SELECT 1 FROM programme_members m"
        "   WHERE m.user_id = users.id AND m.role = 'mentor') THEN 'mentor'"
        " ELSE 'innovator' END"
    )
    op.drop_column('users', 'is_organiser')

    with op.batch_alter_table('programme_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_members_user_id'))
        batch_op.drop_constraint(op.f('ck_programme_members_role'), type_='check')
        batch_op.drop_column('joined_at')
        batch_op.drop_column('created_at')
        batch_op.drop_column('role')

    with op.batch_alter_table('programme_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_events_subject_user_id'))
        batch_op.drop_index('ix_programme_events_log')
    op.drop_table('programme_events')
