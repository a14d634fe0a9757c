"""carrier accounts: a shop's own credentials per tracking source

Revision ID: 0005_carrier_accounts
Revises: 0009_survey_responses
Create Date: 2026-11-30 23:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0005_carrier_accounts'
down_revision = '0009_survey_responses'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('carrier_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('credentials_ciphertext', sa.Text(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('validated_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_carrier_accounts_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carrier_accounts')),
    sa.UniqueConstraint('shop_id', 'source', name=op.f('uq_carrier_accounts_shop_id_source'))
    )
    with op.batch_alter_table('carrier_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carrier_accounts_shop_id'), ['shop_id'], unique=False)


def downgrade():
    with op.batch_alter_table('carrier_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_carrier_accounts_shop_id'))

    op.drop_table('carrier_accounts')
