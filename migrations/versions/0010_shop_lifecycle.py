"""shop lifecycle: customer data exports for compliance requests

Revision ID: 0010_shop_lifecycle
Revises: 0011_woocommerce_connect
Create Date: 2026-12-01 00:05:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import app.models.types


# revision identifiers, used by Alembic.
revision = '0010_shop_lifecycle'
down_revision = '0011_woocommerce_connect'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'privacy_exports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('shop_id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.String(length=64), nullable=True),
        sa.Column('customer_external_id', sa.String(length=64), nullable=True),
        sa.Column('email_digest', sa.String(length=64), nullable=True),
        sa.Column('document', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
        sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_privacy_exports_shop_id_shops'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_exports')),
    )
    with op.batch_alter_table('privacy_exports', schema=None) as batch_op:
        batch_op.create_index('ix_privacy_exports_shop_id_created_at', ['shop_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('privacy_exports', schema=None) as batch_op:
        batch_op.drop_index('ix_privacy_exports_shop_id_created_at')
    op.drop_table('privacy_exports')
