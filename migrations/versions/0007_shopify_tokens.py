"""shopify tokens, shop settings and fulfillment write-backs

Revision ID: 0007_shopify_tokens
Revises: 0005_carrier_accounts
Create Date: 2026-11-30 23:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0007_shopify_tokens'
down_revision = '0005_carrier_accounts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settings', app.models.types.JSONType, server_default=sa.text("'{}'"), nullable=False))

    op.create_table('shopify_credentials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('access_token_ciphertext', sa.Text(), nullable=False),
    sa.Column('access_token_expires_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('refresh_token_ciphertext', sa.Text(), nullable=True),
    sa.Column('refresh_token_expires_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('scopes', sa.Text(), nullable=True),
    sa.Column('refreshed_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_shopify_credentials_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shopify_credentials')),
    sa.UniqueConstraint('shop_id', name=op.f('uq_shopify_credentials_shop_id'))
    )

    op.create_table('fulfillment_writebacks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('order_event_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('shopify_status', sa.String(length=32), nullable=False),
    sa.Column('fulfillment_gid', sa.String(length=100), nullable=False),
    sa.Column('payload', app.models.types.JSONType, nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('shopify_event_id', sa.String(length=100), nullable=True),
    sa.Column('next_attempt_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_event_id'], ['order_events.id'], name=op.f('fk_fulfillment_writebacks_order_event_id_order_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_fulfillment_writebacks_shipment_id_shipments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_fulfillment_writebacks_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillment_writebacks')),
    sa.UniqueConstraint('shop_id', 'shipment_id', 'status', name=op.f('uq_fulfillment_writebacks_shop_id_shipment_id_status'))
    )
    with op.batch_alter_table('fulfillment_writebacks', schema=None) as batch_op:
        batch_op.create_index('ix_fulfillment_writebacks_state_next_attempt_at', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_fulfillment_writebacks_shop_id'), ['shop_id'], unique=False)


def downgrade():
    with op.batch_alter_table('fulfillment_writebacks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fulfillment_writebacks_shop_id'))
        batch_op.drop_index('ix_fulfillment_writebacks_state_next_attempt_at')

    op.drop_table('fulfillment_writebacks')
    op.drop_table('shopify_credentials')

    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.drop_column('settings')
