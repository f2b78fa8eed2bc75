"""The interaction store: shops, workflows, revisions, run days, conversations, feedback.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "shops",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_shops"),
    )
    op.create_table(
        "workflows",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("shop_id", sa.Text(), nullable=False),
        sa.Column("descriptor", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("built_by", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.CheckConstraint("built_by IN ('merchant', 'agent')", name="ck_workflows_built_by"),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], name="fk_workflows_shop_id_shops"),
        sa.PrimaryKeyConstraint("id", name="pk_workflows"),
    )
    op.create_index("ix_workflows_shop_id", "workflows", ["shop_id"])
    op.create_table(
        "workflow_revisions",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("workflow_id", sa.Text(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("saved_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["workflow_id"], ["workflows.id"], name="fk_workflow_revisions_workflow_id_workflows"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_workflow_revisions"),
    )
    op.create_index("ix_workflow_revisions_saved_at", "workflow_revisions", ["saved_at"])
    op.create_index(
        "ix_workflow_revisions_workflow_id_saved_at",
        "workflow_revisions",
        ["workflow_id", "saved_at"],
    )
    op.create_table(
        "workflow_run_days",
        sa.Column("workflow_id", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "runs > 0 AND failures >= 0 AND failures <= runs", name="ck_workflow_run_days_counts"
        ),
        sa.ForeignKeyConstraint(
            ["workflow_id"], ["workflows.id"], name="fk_workflow_run_days_workflow_id_workflows"
        ),
        sa.PrimaryKeyConstraint("workflow_id", "day", name="pk_workflow_run_days"),
    )
    op.create_index("ix_workflow_run_days_day", "workflow_run_days", ["day"])
    op.create_table(
        "conversations",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("shop_id", sa.Text(), nullable=False),
        sa.Column("request_text", sa.Text(), nullable=False),
        sa.Column("existing_workflow_id", sa.Text(), nullable=True),
        sa.Column("existing_revision_id", sa.Text(), nullable=True),
        sa.Column("model_version", sa.Text(), nullable=False),
        sa.Column("tool_trajectory", postgresql.JSONB(), nullable=False),
        sa.Column("generated_python", sa.Text(), nullable=True),
        sa.Column("delivered_definition", sa.Text(), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], name="fk_conversations_shop_id_shops"),
        sa.ForeignKeyConstraint(
            ["existing_workflow_id"],
            ["workflows.id"],
            name="fk_conversations_existing_workflow_id_workflows",
        ),
        sa.ForeignKeyConstraint(
            ["existing_revision_id"],
            ["workflow_revisions.id"],
            name="fk_conversations_existing_revision_id_workflow_revisions",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_conversations"),
    )
    op.create_index("ix_conversations_shop_id", "conversations", ["shop_id"])
    op.create_index("ix_conversations_created_at", "conversations", ["created_at"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("conversation_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("saved_definition", sa.Text(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.CheckConstraint(
            "kind IN ('accepted', 'edited', 'discarded', 'activated')",
            name="ck_feedback_kind_known",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name="fk_feedback_conversation_id_conversations",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_feedback"),
    )
    op.create_index(
        "ix_feedback_conversation_id_created_at", "feedback", ["conversation_id", "created_at"]
    )
    op.create_table(
        "seed_weeks",
        sa.Column("week", sa.Text(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("shops", sa.Integer(), nullable=False),
        sa.Column("anchor_week", sa.Text(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("week", name="pk_seed_weeks"),
    )


def downgrade() -> None:
    op.drop_table("seed_weeks")
    op.drop_index("ix_feedback_conversation_id_created_at", table_name="feedback")
    op.drop_table("feedback")
    op.drop_index("ix_conversations_created_at", table_name="conversations")
    op.drop_index("ix_conversations_shop_id", table_name="conversations")
    op.drop_table("conversations")
    op.drop_index("ix_workflow_run_days_day", table_name="workflow_run_days")
    op.drop_table("workflow_run_days")
    op.drop_index("ix_workflow_revisions_workflow_id_saved_at", table_name="workflow_revisions")
    op.drop_index("ix_workflow_revisions_saved_at", table_name="workflow_revisions")
    op.drop_table("workflow_revisions")
    op.drop_index("ix_workflows_shop_id", table_name="workflows")
    op.drop_table("workflows")
    op.drop_table("shops")
