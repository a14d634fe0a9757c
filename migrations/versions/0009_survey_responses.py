"""survey responses

Revision ID: 0009_survey_responses
Revises: 0004_estimates
Create Date: 2026-11-30 23:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0009_survey_responses'
down_revision = '0004_estimates'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'survey_responses',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('shop_id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('shipment_id', sa.Integer(), nullable=False),
        sa.Column('carrier', sa.String(length=32), nullable=True),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('locale', sa.String(length=32), nullable=True),
        sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('nps', 'ces')", name=op.f('ck_survey_responses_kind')),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_survey_responses_order_id_orders'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_survey_responses_shipment_id_shipments'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_survey_responses_shop_id_shops'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses')),
        sa.UniqueConstraint('shipment_id', 'kind', name=op.f('uq_survey_responses_shipment_id_kind')),
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_responses_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_survey_responses_shop_id_created_at', ['shop_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_responses_shop_id_created_at')
        batch_op.drop_index(batch_op.f('ix_survey_responses_order_id'))
    op.drop_table('survey_responses')
