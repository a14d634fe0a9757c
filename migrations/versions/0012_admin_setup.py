"""admin setup: where the storefront tracking page was found, and when the storefront first answered a shopper

Revision ID: 0012_admin_setup
Revises: 0010_shop_lifecycle
Create Date: 2026-12-01 02:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0012_admin_setup'
down_revision = '0010_shop_lifecycle'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'shop_setup',
        sa.Column('shop_id', sa.Integer(), nullable=False),
        sa.Column('storefront_answered_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('placement_checked_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('placement_found', sa.Boolean(), nullable=True),
        sa.Column('placement_where', sa.String(length=500), nullable=True),
        sa.Column('placement_error', sa.Text(), nullable=True),
        sa.Column('updated_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_shop_setup_shop_id_shops'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('shop_id', name=op.f('pk_shop_setup')),
    )


def downgrade():
    op.drop_table('shop_setup')
