"""The interaction store's schema (SQLAlchemy 2): shops, workflows and their revisions, run
summaries, agent conversations and merchant feedback.

Rows are written once and never updated: a saved change to a workflow is a new revision, a
merchant's reaction is a new feedback row. That is what makes "the data of week W" a fixed
set that later weeks cannot change. The Alembic migrations in `migrations/versions/` create
exactly this schema (a test compares them).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

BUILT_BY = ("merchant", "agent")
FEEDBACK_KINDS = ("accepted", "edited", "discarded", "activated")

# Stable constraint names so migrations can drop what they created.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JsonDoc = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    """Declarative base holding the store's metadata."""

    metadata = MetaData(naming_convention=NAMING)


class Shop(Base):
    """A merchant's shop, known only by an anonymized id."""

    __tablename__ = "shops"

    id: Mapped[str] = mapped_column(Text, primary_key=True)  # e.g. shop_3f2a9c01d4e7
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Workflow(Base):
    """One workflow of a shop; its definitions live in `workflow_revisions`."""

    __tablename__ = "workflows"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id"), index=True)
    descriptor: Mapped[str] = mapped_column(Text)  # e.g. tag_high_value_orders
    category: Mapped[str] = mapped_column(Text)  # template category, e.g. orders, risk
    built_by: Mapped[str] = mapped_column(Text)  # merchant | agent
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (CheckConstraint("built_by IN ('merchant', 'agent')", name="built_by"),)


class WorkflowRevision(Base):
    """A saved state of a workflow: the definition as the platform stores it (JSON payload
    text) and the active flag; the newest revision before a time is the state at that time."""

    __tablename__ = "workflow_revisions"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    workflow_id: Mapped[str] = mapped_column(ForeignKey("workflows.id"))
    definition: Mapped[str] = mapped_column(Text)  # payload text, not parsed by the store
    active: Mapped[bool] = mapped_column(Boolean)
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_workflow_revisions_saved_at", "saved_at"),
        Index("ix_workflow_revisions_workflow_id_saved_at", "workflow_id", "saved_at"),
    )


class WorkflowRunDay(Base):
    """How often a workflow ran on one UTC day (days without runs have no row)."""

    __tablename__ = "workflow_run_days"

    workflow_id: Mapped[str] = mapped_column(ForeignKey("workflows.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    runs: Mapped[int] = mapped_column(Integer)
    failures: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_workflow_run_days_day", "day"),
        CheckConstraint("runs > 0 AND failures >= 0 AND failures <= runs", name="counts"),
    )


class Conversation(Base):
    """One merchant request to the agent and what the agent delivered."""

    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id"), index=True)
    request_text: Mapped[str] = mapped_column(Text)
    # Set when the request edits a workflow: the revision the merchant was looking at.
    existing_workflow_id: Mapped[str | None] = mapped_column(ForeignKey("workflows.id"))
    existing_revision_id: Mapped[str | None] = mapped_column(ForeignKey("workflow_revisions.id"))
    model_version: Mapped[str] = mapped_column(Text)
    tool_trajectory: Mapped[list] = mapped_column(JsonDoc)  # [{"tool", "arguments", ...}]
    generated_python: Mapped[str | None] = mapped_column(Text)  # None: the model gave up
    delivered_definition: Mapped[str | None] = mapped_column(Text)  # None: nothing delivered
    latency_ms: Mapped[int] = mapped_column(Integer)
    prompt_tokens: Mapped[int] = mapped_column(Integer)
    completion_tokens: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Who sent it (served traffic; None for seeded or pre-auth rows) and whether that
    # credential was trusted when it did: only trusted rows become training data.
    token_id: Mapped[str | None] = mapped_column(ForeignKey("api_tokens.id"))
    trusted: Mapped[bool] = mapped_column(Boolean, server_default=true())

    __table_args__ = (Index("ix_conversations_created_at", "created_at"),)


class Feedback(Base):
    """A merchant's reaction to a delivered workflow, in time order per conversation."""

    __tablename__ = "feedback"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    kind: Mapped[str] = mapped_column(Text)  # accepted | edited | discarded | activated
    saved_definition: Mapped[str | None] = mapped_column(Text)  # set for `edited`
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # As on conversations: an untrusted credential's reaction never sets a training target.
    token_id: Mapped[str | None] = mapped_column(ForeignKey("api_tokens.id"))
    trusted: Mapped[bool] = mapped_column(Boolean, server_default=true())

    __table_args__ = (
        Index("ix_feedback_conversation_id_created_at", "conversation_id", "created_at"),
        CheckConstraint(
            "kind IN ('accepted', 'edited', 'discarded', 'activated')", name="kind_known"
        ),
    )


class ApiToken(Base):
    """A serving credential, bound to one shop; only the sha256 of the secret is stored.

    The one table that is updated (`revoked_at`): it is configuration, not training data.
    """

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(Text, primary_key=True)  # tok_<12 hex>, shown in lists
    secret_sha256: Mapped[str] = mapped_column(Text, unique=True)  # hex digest of the token
    shop_id: Mapped[str] = mapped_column(Text)  # not a foreign key: a new shop has no row yet
    simulation: Mapped[bool] = mapped_column(Boolean)  # may set `at` (simulations, replays)
    trusted: Mapped[bool] = mapped_column(Boolean)  # its traffic may become training data
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SeedWeek(Base):
    """Bookkeeping of the demo seeder: which weeks of synthetic data a database holds."""

    __tablename__ = "seed_weeks"

    week: Mapped[str] = mapped_column(Text, primary_key=True)  # 2026-W45
    seed: Mapped[int] = mapped_column(BigInteger)
    shops: Mapped[int] = mapped_column(Integer)
    anchor_week: Mapped[str] = mapped_column(Text)  # the population's first week
    rows: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


TABLES = (
    "shops",
    "workflows",
    "workflow_revisions",
    "workflow_run_days",
    "conversations",
    "feedback",
    "seed_weeks",
    "api_tokens",
)
