"""dashboard: a partial index on the delay events, for delays by reason over a period

Revision ID: 0014_dashboard_delays
Revises: 0013_admin_queues
Create Date: 2026-12-01 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_dashboard_delays'
down_revision = '0013_admin_queues'
branch_labels = None
depends_on = None

DELAYS = "name = 'shipment.delayed'"


def upgrade():
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.create_index('ix_order_events_delays', ['shop_id', 'created_at'], unique=False,
                              postgresql_where=sa.text(DELAYS), sqlite_where=sa.text(DELAYS))


def downgrade():
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.drop_index('ix_order_events_delays')
