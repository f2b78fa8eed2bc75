"""The HTTP API's request and response bodies: the OpenAPI schema is generated from these.

Every text field refuses what the store or the tokenizer cannot hold (NUL characters, lone
surrogates) with a 422 that names the field, so no client input reaches PostgreSQL or the
chat template in a shape that would make the server fail.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

MAX_TEXT = 20_000  # characters in one message or request
MAX_MESSAGES = 64  # messages in one chat completion request
MAX_TOOLS = 64  # entries of a chat request's (ignored) `tools` list
MAX_WORKFLOW_BYTES = 262_144  # compact JSON of one client workflow (existing or saved)
MAX_STEPS = 200  # steps in one client workflow
MAX_DEPTH = 64  # nesting of JSON objects and arrays in one client workflow
CLOCK_SKEW = timedelta(minutes=5)  # how far in the future a client `at` may be


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode (no lone surrogates)") from None
    return value


def _storable_json(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is not None:
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("must be valid Unicode (no lone surrogates)") from None
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


Text = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(_storable)]
Request = Annotated[Text, AfterValidator(_not_blank), Field(min_length=1)]
Document = Annotated[dict[str, Any] | None, AfterValidator(_storable_json)]
ShopId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
ConversationId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,80}$")]


def _past(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("must carry a timezone, e.g. 2026-11-10T09:30:00Z")
    if value.year < 2000:
        raise ValueError("must be after the year 2000")
    if value > datetime.now(UTC) + CLOCK_SKEW:
        raise ValueError("must not be in the future")
    return value


At = Annotated[
    datetime | None,
    AfterValidator(_past),
    Field(
        description="When it happened, for simulations and replays (ISO-8601 with timezone, "
        "not in the future); unset: now."
    ),
]


class ErrorDetail(BaseModel):
    """What went wrong, OpenAI-style."""

    message: str = Field(description="One line naming the field and the problem.")
    type: str = Field(description="invalid_request_error | not_found | unavailable")


class ErrorResponse(BaseModel):
    """Body of every 4xx and 503 answer."""

    error: ErrorDetail


# -- /v1/workflows ---------------------------------------------------------------------------
class WorkflowRequest(BaseModel):
    """A merchant's request: a new workflow, or a change to `existing_workflow`."""

    model_config = ConfigDict(extra="forbid")

    request: Request = Field(description="What the merchant typed.")
    shop_id: ShopId = Field(description="The shop asking (letters, digits, _ and -).")
    existing_workflow: Document = Field(
        None, description="The workflow to change, as the platform's JSON payload."
    )
    at: At = None


class WorkflowResponse(BaseModel):
    """What the agent delivered for one request."""

    conversation_id: str = Field(description="Quote it in POST /v1/feedback.")
    workflow: dict[str, Any] | None = Field(
        description="The delivered workflow as the platform's JSON payload; null when the "
        "model gave nothing valid."
    )
    python: str | None = Field(description="The model's program in the flowgen DSL.")
    syntactic_ok: bool = Field(description="The program parsed, transpiled and validated.")
    error: str | None = Field(description="Why nothing was delivered (bucket: detail).")
    latency_ms: int = Field(description="Arrival of the request to the answer, queue included.")
    model_version: str = Field(description="The registered version that answered.")
    tool_calls: int = Field(description="Tool calls the agent made.")


# -- /v1/feedback ----------------------------------------------------------------------------
class FeedbackRequest(BaseModel):
    """A merchant's reaction to a delivered workflow."""

    model_config = ConfigDict(extra="forbid")

    conversation_id: ConversationId
    kind: Literal["accepted", "edited", "discarded", "activated"]
    saved_definition: Document = Field(
        None, description="What the merchant saved (platform JSON); required for edited only."
    )
    at: At = None


class FeedbackResponse(BaseModel):
    """The stored reaction."""

    feedback_id: str
    conversation_id: str
    kind: str


# -- /v1/chat/completions --------------------------------------------------------------------
class FunctionCall(BaseModel):
    """A tool call's function: its name and arguments as JSON text."""

    model_config = ConfigDict(extra="ignore")

    name: Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_storable)]
    arguments: Text

    @field_validator("arguments")
    @classmethod
    def _json_object(cls, value: str) -> str:
        try:
            parsed = json.loads(value)
        except ValueError:
            raise ValueError("must be JSON text of an object") from None
        if not isinstance(parsed, dict):
            raise ValueError("must be JSON text of an object")
        return value


class ToolCall(BaseModel):
    """One tool call of an assistant message."""

    model_config = ConfigDict(extra="ignore")

    id: str | None = None
    type: Literal["function"] = "function"
    function: FunctionCall


class ChatMessage(BaseModel):
    """One message of the conversation (OpenAI chat format)."""

    model_config = ConfigDict(extra="ignore")

    role: Literal["system", "user", "assistant", "tool"]
    content: Text | None = None
    name: str | None = None
    tool_calls: list[ToolCall] | None = Field(None, max_length=16)
    tool_call_id: str | None = None


class ChatRequest(BaseModel):
    """An OpenAI chat completion request; the agent's tools are always the ones offered."""

    model_config = ConfigDict(extra="ignore")

    model: str | None = Field(None, description="Ignored: the server answers with its champion.")
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_MESSAGES)
    tools: list[dict[str, Any]] | None = Field(
        None,
        max_length=MAX_TOOLS,
        description="Ignored when given: the model knows only the agent's tools.",
    )
    max_tokens: int | None = Field(None, ge=1, le=4096)
    max_completion_tokens: int | None = Field(None, ge=1, le=4096)
    stream: bool = Field(False, description="Must be false: streaming is not supported.")
    n: int = Field(1, ge=1, le=1, description="Must be 1.")


class AssistantMessage(BaseModel):
    """The model's turn."""

    role: Literal["assistant"] = "assistant"
    content: str | None
    tool_calls: list[ToolCall] | None = None


class Choice(BaseModel):
    """The one answer."""

    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop", "tool_calls", "length"]


class Usage(BaseModel):
    """Tokens in and out."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatResponse(BaseModel):
    """An OpenAI chat completion."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage


class Ready(BaseModel):
    """Whether the server can do its work now: the store answers and the model worker runs."""

    status: Literal["ready", "not_ready"]
    store: str = Field(description="ok, or why the interaction store cannot be reached.")
    model_worker: str = Field(description="ok, or restarting after a failure.")
    worker_restarts: int = Field(description="Times the model worker restarted after a failure.")
    last_worker_error: str | None
    outbox_pending: int = Field(description="Answers given but not yet written to the store.")
    outbox_failed: int = Field(description="Answers the store refused (kept aside on disk).")


class Health(BaseModel):
    """Liveness: the process answers; what it is serving."""

    status: Literal["ok"] = "ok"
    model_uri: str
    model_version: str
    loaded_at: str = Field(description="When the served version was loaded (ISO-8601 UTC).")
    reloads: int = Field(description="Versions loaded since start, after the first.")
    last_reload_error: str | None
    queued: int = Field(description="Requests waiting for the model.")
