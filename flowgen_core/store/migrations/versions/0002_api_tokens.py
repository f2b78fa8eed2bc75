"""Serving credentials: hashed bearer tokens bound to a shop; who sent each served row.

`conversations.trusted` and `feedback.trusted` default to true, so every row written before
this revision (the demo seeder's, and served traffic from before authentication) keeps its
place in the extracted weeks and their hashes do not change.

Revision ID: 0002_api_tokens
Revises: 0001_initial
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_api_tokens"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("secret_sha256", sa.Text(), nullable=False),
        sa.Column("shop_id", sa.Text(), nullable=False),
        sa.Column("simulation", sa.Boolean(), nullable=False),
        sa.Column("trusted", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=True),
        sa.Column("revoked_at", TZ, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("secret_sha256", name="uq_api_tokens_secret_sha256"),
    )
    for table in ("conversations", "feedback"):
        op.add_column(table, sa.Column("token_id", sa.Text(), nullable=True))
        op.add_column(
            table, sa.Column("trusted", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        op.create_foreign_key(
            f"fk_{table}_token_id_api_tokens", table, "api_tokens", ["token_id"], ["id"]
        )


def downgrade() -> None:
    for table in ("feedback", "conversations"):
        op.drop_constraint(f"fk_{table}_token_id_api_tokens", table, type_="foreignkey")
        op.drop_column(table, "trusted")
        op.drop_column(table, "token_id")
    op.drop_table("api_tokens")
