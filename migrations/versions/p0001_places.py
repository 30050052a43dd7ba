"""places: region codes, programme regions and participating agencies

Regions become keyed by their official Kemendagri code instead of a unique name
(Kota Kupang and Kabupaten Kupang are two places); `flask regions load` fills
the codes of existing rows by matching their names. Each existing programme
keeps the agencies it offers today (those of its region and the region's
regencies, plus any its innovations use) as participants, and ticks the
regencies those agencies are in.

Revision ID: p0001
Revises: s002
Create Date: 2026-11-30 05:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'p0001'
down_revision = "s002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=13), nullable=True))
        batch_op.drop_constraint('uq_regions_name', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_regions_code'), ['code'])
        batch_op.create_index(batch_op.f('ix_regions_parent_id'), ['parent_id'], unique=False)

    op.create_table('programme_regions',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_regions_programme_id_programmes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_programme_regions_region_id_regions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'region_id', name=op.f('pk_programme_regions'))
    )
    with op.batch_alter_table('programme_regions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_regions_region_id'), ['region_id'], unique=False)

    op.create_table('programme_agencies',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_programme_agencies_agency_id_agencies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_agencies_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'agency_id', name=op.f('pk_programme_agencies'))
    )
    with op.batch_alter_table('programme_agencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_agencies_agency_id'), ['agency_id'], unique=False)

    # Today's rule for which agencies a programme offers becomes explicit participation.
    op.execute(
        """
        INSERT INTO programme_agencies (programme_id, agency_id)
        SELECT p.id, a.id FROM programmes p
        JOIN regions r ON r.id = p.region_id OR r.parent_id = p.region_id
        JOIN agencies a ON a.region_id = r.id
        UNION
        SELECT DISTINCT i.programme_id, i.agency_id FROM innovations i
        WHERE i.agency_id IS NOT NULL
        """
    )
    op.execute(
        """
        INSERT INTO programme_regions (programme_id, region_id)
        SELECT DISTINCT pa.programme_id, a.region_id FROM programme_agencies pa
        JOIN agencies a ON a.id = pa.agency_id
        JOIN regions r ON r.id = a.region_id
        JOIN programmes p ON p.id = pa.programme_id
        WHERE r.parent_id = p.region_id
        """
    )


def downgrade():
    with op.batch_alter_table('programme_agencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_agencies_agency_id'))
    op.drop_table('programme_agencies')
    with op.batch_alter_table('programme_regions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_regions_region_id'))
    op.drop_table('programme_regions')
    # Official names are unique across Indonesia, so the old constraint holds again.
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regions_parent_id'))
        batch_op.drop_constraint(batch_op.f('uq_regions_code'), type_='unique')
        batch_op.create_unique_constraint('uq_regions_name', ['name'])
        batch_op.drop_column('code')
