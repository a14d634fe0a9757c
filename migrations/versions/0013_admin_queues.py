"""admin queues: a partial index on the parcels needing attention

Revision ID: 0013_admin_queues
Revises: 0012_admin_setup
Create Date: 2026-12-01 02:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_admin_queues'
down_revision = '0012_admin_setup'
branch_labels = None
depends_on = None

ATTENTION = ("removed_at IS NULL AND tracking_status <> 'delivered' AND (tracking_status IN "
             "('exception', 'returning_to_sender', 'expired', 'attempt_failed') OR delay_reason IS NOT NULL)")


def upgrade():
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.create_index('ix_shipments_attention', ['shop_id'], unique=False,
                              postgresql_where=sa.text(ATTENTION), sqlite_where=sa.text(ATTENTION))


def downgrade():
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index('ix_shipments_attention')
