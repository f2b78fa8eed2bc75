"""The serving API: the champion answers merchants, every answer and reaction goes to the store.

- `POST /v1/workflows`: a request (new workflow or an edit) through the agent loop of
  evaluation; answered with the delivered workflow in the platform's JSON and recorded as a
  conversation (trajectory, Python, latency, model version).
- `POST /v1/feedback`: accepted / edited (with the saved definition) / discarded / activated.
- `POST /v1/chat/completions`: OpenAI-compatible; one assistant turn with the agent's tools.
- `GET /health`: the served version and the queue.

Errors are one line in `{"error": {"message", "type"}}` (the OpenAI shape, which
`flowgen_core.llm` reads): 422 for a body that does not fit the schema, 400 for content the
agent cannot use, 404 for an unknown conversation, 503 when the queue is full or the store is
down. Model output never raises out of a handler: what the model got wrong is an answer with
`syntactic_ok: false`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException

from flowgen_core.dsl.flowfile import workflow_from_json, workflow_to_json
from flowgen_core.dsl.model import Workflow
from flowgen_core.dsl.to_python import to_python
from flowgen_core.errors import FlowgenError
from flowgen_core.evaluation.agent import AgentResult
from flowgen_core.serving.champion import Champion, Loaded, Overloaded
from flowgen_core.serving.recorder import Recorder, Served, UnknownConversation
from flowgen_core.serving.schemas import (
    AssistantMessage,
    ChatRequest,
    ChatResponse,
    Choice,
    ErrorResponse,
    FeedbackRequest,
    FeedbackResponse,
    Health,
    ToolCall,
    Usage,
    WorkflowRequest,
    WorkflowResponse,
)
from flowgen_core.serving.turn import one_turn, template_messages

log = logging.getLogger("flowgen.serving")

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse, "description": what}
    for code, what in (
        (400, "The content cannot be used (named in the message)."),
        (422, "The body does not fit the schema (field named in the message)."),
        (503, "The queue is full or the store is unavailable: retry later."),
    )
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No such conversation."}
}


def _error(status: int, message: str, kind: str = "invalid_request_error") -> JSONResponse:
    text = " ".join(message.split())[:500]
    return JSONResponse({"error": {"message": text, "type": kind}}, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(x) for x in err.get("loc", ()) if x != "body") or "body"
        parts.append(f"{loc}: {err.get('msg', 'invalid')}")
    return "; ".join(parts)


def _payload_text(doc: dict[str, Any]) -> str:
    """The platform's compact JSON encoding of a payload, keys in the order sent."""
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


def _read_workflow(doc: dict[str, Any], field: str) -> Workflow:
    try:
        return workflow_from_json(doc)
    except FlowgenError as exc:
        raise FlowgenError(f"{field}: {exc}") from None


def _trajectory(result: AgentResult) -> list[dict[str, Any]]:
    """The tool calls as the store logs them: [{"tool", "arguments"}, ...]."""
    calls = []
    for m in result.messages:
        for tc in m.get("tool_calls") or []:
            fn = tc["function"]
            calls.append({"tool": fn["name"], "arguments": json.loads(fn["arguments"])})
    # JSONB cannot hold \u0000, and the arguments are model output
    return json.loads(json.dumps(calls).replace("\\u0000", "\\ufffd"))


def _clean(text: str | None) -> str | None:
    # PostgreSQL text cannot hold NUL; model output is not trusted to be free of it
    return None if text is None else text.replace("\x00", "\ufffd")


def create_app(champion: Champion, recorder: Recorder) -> FastAPI:
    """The API over a started `Champion` and the store's `Recorder`."""
    app = FastAPI(
        title="flowgen serving",
        version="1",
        description="The champion agent: workflows from merchant requests, feedback, "
        "and an OpenAI-compatible chat endpoint with the agent's tools.",
    )
    catalog = champion.catalog

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_message(exc))

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        kind = "not_found" if exc.status_code == 404 else "invalid_request_error"
        return _error(exc.status_code, str(exc.detail), kind)

    @app.exception_handler(UnknownConversation)
    async def _unknown(_: Request, exc: UnknownConversation) -> JSONResponse:
        return _error(404, str(exc), "not_found")

    @app.exception_handler(FlowgenError)
    async def _bad(_: Request, exc: FlowgenError) -> JSONResponse:
        return _error(400, str(exc))

    @app.exception_handler(Overloaded)
    async def _busy(_: Request, exc: Overloaded) -> JSONResponse:
        return _error(503, str(exc), "unavailable")

    @app.exception_handler(OperationalError)
    async def _store_down(_: Request, exc: OperationalError) -> JSONResponse:
        log.warning("store unavailable: %s", type(exc.orig).__name__)
        return _error(503, "the interaction store is unavailable; retry later", "unavailable")

    @app.get("/health", response_model=Health)
    async def health() -> Health:
        """The served version, when it was loaded, reloads and the queue."""
        loaded = champion.current
        assert loaded is not None
        return Health(
            model_uri=champion.config.model_uri,
            model_version=loaded.version,
            loaded_at=loaded.loaded_at.isoformat().replace("+00:00", "Z"),
            reloads=champion.reloads,
            last_reload_error=champion.last_reload_error,
            queued=champion.queued,
        )

    @app.post("/v1/workflows", response_model=WorkflowResponse, responses=ERRORS)
    async def workflows(body: WorkflowRequest) -> WorkflowResponse:
        """Build (or change) a workflow for a merchant's request; recorded in the store."""
        t0 = time.perf_counter()
        existing = existing_text = None
        if body.existing_workflow is not None:
            existing = _read_workflow(body.existing_workflow, "existing_workflow")
            existing_text = _payload_text(body.existing_workflow)
            try:
                to_python(existing, catalog)
            except Exception as exc:  # any reader failure on client input is a 400, not a crash
                raise FlowgenError(
                    f"existing_workflow: cannot be written as Python for the model: {exc}"
                ) from None
        loaded, result, prompt_tokens = await asyncio.wrap_future(
            champion.workflow(body.request, existing)
        )
        latency_ms = int((time.perf_counter() - t0) * 1000)
        delivered = workflow_to_json(result.workflow) if result.valid and result.workflow else None
        served = Served(
            shop_id=body.shop_id,
            request=body.request,
            model_version=loaded.version,
            tool_trajectory=_trajectory(result),
            generated_python=_clean(result.python),
            delivered_definition=None if delivered is None else _clean(_payload_text(delivered)),
            latency_ms=latency_ms,
            prompt_tokens=prompt_tokens,
            completion_tokens=result.tokens,
            existing_definition=existing_text,
        )
        conversation_id = await run_in_threadpool(recorder.conversation, served, body.at)
        return WorkflowResponse(
            conversation_id=conversation_id,
            workflow=delivered,
            python=result.python,
            syntactic_ok=result.valid,
            error=f"{result.error_bucket}: {result.error}" if result.error_bucket else None,
            latency_ms=latency_ms,
            model_version=loaded.version,
            tool_calls=result.tool_calls,
        )

    @app.post("/v1/feedback", response_model=FeedbackResponse, responses=ERRORS | NOT_FOUND)
    async def feedback(body: FeedbackRequest) -> FeedbackResponse:
        """Record a merchant's reaction to a conversation."""
        saved = None
        if body.saved_definition is not None:
            _read_workflow(body.saved_definition, "saved_definition")
            saved = _payload_text(body.saved_definition)
        feedback_id = await run_in_threadpool(
            recorder.feedback, body.conversation_id, body.kind, saved, body.at
        )
        return FeedbackResponse(
            feedback_id=feedback_id, conversation_id=body.conversation_id, kind=body.kind
        )

    @app.post("/v1/chat/completions", response_model=ChatResponse, responses=ERRORS)
    async def chat(body: ChatRequest) -> ChatResponse:
        """One assistant turn of the champion, offered the agent's tools (OpenAI format)."""
        if body.stream:
            raise FlowgenError("stream: streaming is not supported; send stream=false")
        messages = template_messages([m.model_dump() for m in body.messages])
        limit = champion.config.agent.max_new_tokens
        wanted = body.max_completion_tokens or body.max_tokens or limit
        loaded, turn = await asyncio.wrap_future(
            champion.call(lambda agent: one_turn(agent, messages, min(wanted, limit)))
        )
        return _chat_response(loaded, turn)

    return app


def _chat_response(loaded: Loaded, turn: Any) -> ChatResponse:
    calls = [
        ToolCall.model_validate({**c, "id": f"call_{uuid.uuid4().hex[:24]}"})
        for c in turn.tool_calls
    ]
    return ChatResponse(
        id=f"chatcmpl-{uuid.uuid4().hex}",
        created=int(time.time()),
        model=loaded.version,
        choices=[
            Choice(
                message=AssistantMessage(content=turn.content, tool_calls=calls or None),
                finish_reason=turn.finish_reason,
            )
        ],
        usage=Usage(
            prompt_tokens=turn.prompt_tokens,
            completion_tokens=turn.completion_tokens,
            total_tokens=turn.prompt_tokens + turn.completion_tokens,
        ),
    )
