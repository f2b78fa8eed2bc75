"""Served traffic back into the interaction store: the loop that makes next week's data.

Every answered request becomes a `conversations` row (request, trajectory, Python, delivered
definition, latency, tokens, model version) and every merchant reaction a `feedback` row, in
the same shape the demo seeder writes, so `flowgen_core.store.extract` reads served weeks and
seeded weeks alike. Rows are inserted, never updated (see flowgen_core/store/models.py).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from flowgen_core.errors import InvalidInput
from flowgen_core.store.models import (
    FEEDBACK_KINDS,
    Conversation,
    Feedback,
    Shop,
    Workflow,
    WorkflowRevision,
)

SERVED_DESCRIPTOR = "served_edit"  # descriptor of a workflow first seen as an edit request


class UnknownConversation(InvalidInput):
    """Feedback names a conversation the store does not hold."""


@dataclass(frozen=True)
class Served:
    """What the agent did for one request, as the store keeps it."""

    shop_id: str
    request: str
    model_version: str
    tool_trajectory: list[dict[str, Any]]  # the tool calls, in order
    generated_python: str | None  # None: the model gave no final answer
    delivered_definition: str | None  # payload text; None: nothing valid to deliver
    latency_ms: int
    prompt_tokens: int
    completion_tokens: int
    existing_definition: str | None = None  # payload the merchant was editing, if any
    existing_category: str = "other"  # template category of the edited workflow
    token_id: str | None = None  # the credential that sent it (None: not served over HTTP)
    trusted: bool = False  # may become training data (the credential's flag); see tokens.py


def _now() -> datetime:
    return datetime.now(UTC)


def new_conversation_id() -> str:
    """A fresh conversation id (given out before the row is written, so the outbox keeps it)."""
    return f"conv_{uuid.uuid4().hex}"


def _existing_id(shop_id: str, definition: str) -> str:
    # The same workflow sent twice by one shop is one workflow row.
    digest = hashlib.sha256(f"{shop_id}\0{definition}".encode()).hexdigest()[:16]
    return f"wf_served_{digest}"


class Recorder:
    """Writes served conversations and feedback to the store."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def conversation(
        self, served: Served, at: datetime | None = None, conversation_id: str | None = None
    ) -> str:
        """Insert one answered request; returns its conversation id.

        Idempotent for a given `conversation_id`: every row it writes is keyed by it, so the
        outbox may replay a write whose commit was in doubt without duplicating anything.
        """
        at = at or _now()
        conversation_id = conversation_id or new_conversation_id()
        with self.engine.begin() as conn:
            conn.execute(
                pg_insert(Shop).values(id=served.shop_id, created_at=at).on_conflict_do_nothing()
            )
            workflow_id = revision_id = None
            if served.existing_definition is not None:
                workflow_id = _existing_id(served.shop_id, served.existing_definition)
                conn.execute(
                    pg_insert(Workflow)
                    .values(
                        id=workflow_id,
                        shop_id=served.shop_id,
                        descriptor=SERVED_DESCRIPTOR,
                        category=served.existing_category,
                        built_by="merchant",
                        created_at=at,
                    )
                    .on_conflict_do_nothing()
                )
                revision_id = f"{workflow_id}_r{conversation_id.removeprefix('conv_')[:12]}"
                conn.execute(
                    pg_insert(WorkflowRevision)
                    .values(
                        id=revision_id,
                        workflow_id=workflow_id,
                        definition=served.existing_definition,
                        active=True,
                        saved_at=at,
                    )
                    .on_conflict_do_nothing()
                )
            conn.execute(
                pg_insert(Conversation)
                .values(
                    id=conversation_id,
                    shop_id=served.shop_id,
                    request_text=served.request,
                    existing_workflow_id=workflow_id,
                    existing_revision_id=revision_id,
                    model_version=served.model_version,
                    tool_trajectory=served.tool_trajectory,
                    generated_python=served.generated_python,
                    delivered_definition=served.delivered_definition,
                    latency_ms=served.latency_ms,
                    prompt_tokens=served.prompt_tokens,
                    completion_tokens=served.completion_tokens,
                    created_at=at,
                    token_id=served.token_id,
                    trusted=served.trusted,
                )
                .on_conflict_do_nothing()
            )
        return conversation_id

    def feedback(
        self,
        conversation_id: str,
        kind: str,
        saved_definition: str | None = None,
        at: datetime | None = None,
        *,
        shop_id: str | None = None,
        token_id: str | None = None,
        trusted: bool = False,
    ) -> str:
        """Insert one merchant reaction to a conversation; returns the feedback id.

        With `shop_id`, only that shop's conversations take feedback: another shop's
        conversation is answered as unknown, so its existence is not revealed either.
        """
        if kind not in FEEDBACK_KINDS:
            raise InvalidInput(f"kind {kind!r}: must be one of {', '.join(FEEDBACK_KINDS)}")
        if (kind == "edited") != (saved_definition is not None):
            raise InvalidInput("saved_definition: required for kind 'edited' and only for it")
        feedback_id = f"fb_{uuid.uuid4().hex}"
        with self.engine.begin() as conn:
            found = conn.execute(
                select(Conversation.shop_id).where(Conversation.id == conversation_id)
            ).first()
            if found is None or (shop_id is not None and found.shop_id != shop_id):
                raise UnknownConversation(f"conversation_id {conversation_id!r}: not in the store")
            conn.execute(
                insert(Feedback).values(
                    id=feedback_id,
                    conversation_id=conversation_id,
                    kind=kind,
                    saved_definition=saved_definition,
                    created_at=at or _now(),
                    token_id=token_id,
                    trusted=trusted,
                )
            )
        return feedback_id
