"""woocommerce connections (wc-auth keys, webhooks) and used admin login links

Revision ID: 0011_woocommerce_connect
Revises: 0008_notifications
Create Date: 2026-12-01 00:05:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0011_woocommerce_connect'
down_revision = '0008_notifications'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('woocommerce_connections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=True),
    sa.Column('domain', sa.String(length=255), nullable=False),
    sa.Column('store_url', sa.String(length=500), nullable=False),
    sa.Column('state_digest', sa.String(length=64), nullable=False),
    sa.Column('state_expires_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('consumer_key_ciphertext', sa.Text(), nullable=True),
    sa.Column('consumer_secret_ciphertext', sa.Text(), nullable=True),
    sa.Column('key_id', sa.String(length=32), nullable=True),
    sa.Column('key_permissions', sa.String(length=16), nullable=True),
    sa.Column('webhook_ids', app.models.types.JSONType, nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('connected_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('returned_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_woocommerce_connections_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_woocommerce_connections')),
    sa.UniqueConstraint('state_digest', name=op.f('uq_woocommerce_connections_state_digest'))
    )
    with op.batch_alter_table('woocommerce_connections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_woocommerce_connections_shop_id'), ['shop_id'], unique=False)

    op.create_table('woocommerce_logins',
    sa.Column('jti', sa.String(length=64), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('expires_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_woocommerce_logins_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('jti', name=op.f('pk_woocommerce_logins'))
    )
    with op.batch_alter_table('woocommerce_logins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_woocommerce_logins_shop_id'), ['shop_id'], unique=False)


def downgrade():
    with op.batch_alter_table('woocommerce_logins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_woocommerce_logins_shop_id'))
    op.drop_table('woocommerce_logins')

    with op.batch_alter_table('woocommerce_connections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_woocommerce_connections_shop_id'))
    op.drop_table('woocommerce_connections')
