"""delivery estimates and delays

Revision ID: 0004_estimates
Revises: 0003
Create Date: 2026-11-30 23:30:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import app.models.types


# revision identifiers, used by Alembic.
revision = '0004_estimates'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lane_stats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('lane', sa.String(length=160), nullable=False),
    sa.Column('samples', sa.Integer(), nullable=False),
    sa.Column('transit_days', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('longest_gaps', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('refreshed_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_lane_stats_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lane_stats')),
    sa.UniqueConstraint('shop_id', 'lane', name=op.f('uq_lane_stats_shop_id_lane'))
    )
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lane', sa.String(length=160), nullable=True))
        batch_op.add_column(sa.Column('picked_up_at', app.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('expected_delivery_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('delivery_window_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('delivery_window_end', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('estimate_confidence', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('estimate_source', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('promised_delivery_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('delay_reason', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('delayed_since', app.models.types.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_column('delayed_since')
        batch_op.drop_column('delay_reason')
        batch_op.drop_column('promised_delivery_on')
        batch_op.drop_column('estimate_source')
        batch_op.drop_column('estimate_confidence')
        batch_op.drop_column('delivery_window_end')
        batch_op.drop_column('delivery_window_start')
        batch_op.drop_column('expected_delivery_on')
        batch_op.drop_column('picked_up_at')
        batch_op.drop_column('lane')

    op.drop_table('lane_stats')
