"""The serving API: the champion answers merchants, every answer and reaction goes to the store.

- `POST /v1/workflows`: a request (new workflow or an edit) through the agent loop of
  evaluation; answered with the delivered workflow in the platform's JSON and recorded as a
  conversation (trajectory, Python, latency, model version).
- `POST /v1/feedback`: accepted / edited (with the saved definition) / discarded / activated.
- `POST /v1/chat/completions`: OpenAI-compatible; one assistant turn with the agent's tools.
- `GET /health`: liveness (the served version and the queue); `GET /ready`: the store
  answers and the model worker runs.

Every `/v1/` request passes `guard.Guard` first (body size 413, bearer token 401, rate limit
429); the handlers then hold the token to its shop (403 for another shop's `shop_id`, 404 for
another shop's conversation) and refuse `at` from a credential without `simulation` (403).

Errors are one line in `{"error": {"message", "type"}}` (the OpenAI shape, which
`flowgen_core.llm` reads): 422 for a body that does not fit the schema, 400 for content the
agent cannot use, 404 for an unknown conversation, 503 when the queue is full or the store is
down for a read. Model output never raises out of a handler: what the model got wrong is an
answer with `syntactic_ok: false`. An answer the store cannot take right now goes to the
outbox and is still returned (200).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import anyio
from anyio import to_thread
from fastapi import Depends, FastAPI, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException

from flowgen_core.catalog.model import Catalog
from flowgen_core.dsl.flowfile import workflow_from_json, workflow_to_json
from flowgen_core.dsl.model import Workflow
from flowgen_core.dsl.to_python import to_python
from flowgen_core.errors import FlowgenError
from flowgen_core.evaluation.agent import AgentResult
from flowgen_core.serving.champion import Champion, Loaded, Overloaded
from flowgen_core.serving.guard import Guard, RateLimiter
from flowgen_core.serving.outbox import Outbox, store_unavailable
from flowgen_core.serving.recorder import (
    Recorder,
    Served,
    UnknownConversation,
    new_conversation_id,
)
from flowgen_core.serving.schemas import (
    MAX_DEPTH,
    MAX_STEPS,
    MAX_WORKFLOW_BYTES,
    AssistantMessage,
    ChatRequest,
    ChatResponse,
    Choice,
    ErrorResponse,
    FeedbackRequest,
    FeedbackResponse,
    Health,
    Ready,
    ToolCall,
    Usage,
    WorkflowRequest,
    WorkflowResponse,
)
from flowgen_core.serving.tokens import Authenticator, Principal
from flowgen_core.serving.turn import one_turn, template_messages

log = logging.getLogger("flowgen.serving")

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse, "description": what}
    for code, what in (
        (400, "The content cannot be used (named in the message)."),
        (401, "No bearer token, or one that is unknown, revoked or expired."),
        (403, "The token's shop is not the request's, or `at` without a simulation token."),
        (413, "The body is over the size limit."),
        (422, "The body does not fit the schema (field named in the message)."),
        (429, "Over the token's rate limit: retry after `Retry-After` seconds."),
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


def _depth(doc: Any) -> int:
    """Nesting of objects and arrays, counted without recursion (the input is hostile)."""
    deepest, todo = 0, [(doc, 1)]
    while todo:
        value, level = todo.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            if deepest > MAX_DEPTH:
                return deepest
            items = value.values() if isinstance(value, dict) else value
            todo.extend((v, level + 1) for v in items)
    return deepest


def _bounded(doc: dict[str, Any], field: str) -> str:
    """The payload text of a client workflow, once it is within the caps (400 otherwise)."""
    if _depth(doc) > MAX_DEPTH:
        raise FlowgenError(f"{field}: nested deeper than {MAX_DEPTH} levels")
    text = _payload_text(doc)
    size = len(text.encode("utf-8"))
    if size > MAX_WORKFLOW_BYTES:
        raise FlowgenError(f"{field}: {size} bytes, over the limit of {MAX_WORKFLOW_BYTES}")
    root = doc.get("root")
    steps = root.get("steps") if isinstance(root, dict) else None
    if isinstance(steps, list) and len(steps) > MAX_STEPS:
        raise FlowgenError(f"{field}: {len(steps)} steps, over the limit of {MAX_STEPS}")
    return text


def _existing(doc: dict[str, Any], catalog: Catalog) -> tuple[Workflow, str, str]:
    """(workflow, payload text, its Python for the model): parsed and transpiled in a worker
    thread, never on the event loop."""
    text = _bounded(doc, "existing_workflow")
    existing = _read_workflow(doc, "existing_workflow")
    try:
        python = to_python(existing, catalog)[0]
    except Exception as exc:  # any reader failure on client input is a 400, not a crash
        raise FlowgenError(
            f"existing_workflow: cannot be written as Python for the model: {exc}"
        ) from None
    return existing, text, python


def _saved(doc: dict[str, Any]) -> str:
    text = _bounded(doc, "saved_definition")
    _read_workflow(doc, "saved_definition")
    return text


_bearer = HTTPBearer(
    auto_error=False,
    description="A token from 'flowgen token create --shop SHOP' (bound to that shop).",
)


def principal(
    request: Request, _: HTTPAuthorizationCredentials | None = Security(_bearer)
) -> Principal:
    """Who sent the request, as `guard.Guard` established it (declared here for the schema)."""
    who = getattr(request.state, "principal", None)
    if not isinstance(who, Principal):  # only reachable if the guard is not installed
        raise HTTPException(401, "missing credentials")
    return who


def _own_shop(who: Principal, shop_id: str) -> None:
    if shop_id != who.shop_id:
        raise HTTPException(403, f"shop_id: this token is for another shop, not {shop_id!r}")


def _may_date(who: Principal, at: datetime | None) -> None:
    if at is not None and not who.simulation:
        raise HTTPException(
            403, "at: only a simulation token may set the time; leave it out (the server stamps it)"
        )


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


def create_app(
    champion: Champion, recorder: Recorder, auth: Authenticator, outbox: Outbox
) -> FastAPI:
    """The API over a started `Champion`, the store's `Recorder`, the token checker and the
    outbox (started and stopped with the app)."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        outbox.start()
        try:
            yield
        finally:
            await to_thread.run_sync(outbox.stop)

    app = FastAPI(
        title="flowgen serving",
        version="1",
        description="The champion agent: workflows from merchant requests, feedback, "
        "and an OpenAI-compatible chat endpoint with the agent's tools. Every /v1/ operation "
        "takes 'Authorization: Bearer <token>'.",
        lifespan=lifespan,
    )
    config = champion.config
    app.add_middleware(
        Guard,
        auth=auth,
        limiter=RateLimiter(config.rate_per_s, config.burst),
        max_body_bytes=config.max_body_bytes,
    )
    app.state.outbox = outbox
    catalog = champion.catalog
    # client workflows are parsed on a few threads of their own: a flood of big ones waits
    # here instead of taking every thread the store writes need
    parsing = anyio.CapacityLimiter(config.parse_threads)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_message(exc))

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        kind = {404: "not_found", 403: "permission_error", 401: "authentication_error"}.get(
            exc.status_code, "invalid_request_error"
        )
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

    @app.exception_handler(SQLAlchemyError)
    async def _store_down(_: Request, exc: SQLAlchemyError) -> JSONResponse:
        if not store_unavailable(exc):
            log.error("store error: %s", " ".join(str(exc).split())[:300])
            return _error(500, "the interaction store refused the write", "server_error")
        log.warning("store unavailable: %s", type(getattr(exc, "orig", exc)).__name__)
        return _error(503, "the interaction store is unavailable; retry later", "unavailable")

    def _ping() -> str:
        try:
            with recorder.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            return " ".join(f"unavailable: {type(getattr(exc, 'orig', exc)).__name__}".split())
        return "ok"

    @app.get("/ready", response_model=Ready, responses={503: {"model": Ready}})
    async def ready() -> JSONResponse:
        """Readiness: the store answers and the model worker runs (503 otherwise)."""
        store = "unavailable: no answer within 2s"
        with anyio.move_on_after(2):
            store = await to_thread.run_sync(_ping, abandon_on_cancel=True)
        worker = "ok" if champion.worker_ok else "restarting after a failure"
        body = Ready(
            status="ready" if store == "ok" and worker == "ok" else "not_ready",
            store=store,
            model_worker=worker,
            worker_restarts=champion.worker_restarts,
            last_worker_error=champion.last_worker_error,
            outbox_pending=outbox.pending,
            outbox_failed=outbox.failed,
        )
        return JSONResponse(body.model_dump(), status_code=200 if body.status == "ready" else 503)

    @app.get("/health", response_model=Health)
    async def health() -> Health:
        """Liveness (answered from the event loop alone): the served version and the queue."""
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
    async def workflows(
        body: WorkflowRequest, who: Principal = Depends(principal)
    ) -> WorkflowResponse:
        """Build (or change) a workflow for a merchant's request; recorded in the store."""
        t0 = time.perf_counter()
        _own_shop(who, body.shop_id)
        _may_date(who, body.at)
        # fixed now, not when the row is written: an answer held in the outbox keeps its time
        at = body.at or datetime.now(UTC)
        existing = existing_text = None
        existing_python = ""
        if body.existing_workflow is not None:
            existing, existing_text, existing_python = await to_thread.run_sync(
                _existing, body.existing_workflow, catalog, limiter=parsing
            )
        loaded, result, prompt_tokens = await asyncio.wrap_future(
            champion.workflow(body.request, existing, existing_python)
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
            token_id=who.token_id,
            trusted=who.trusted,
        )
        conversation_id = new_conversation_id()
        try:
            await run_in_threadpool(recorder.conversation, served, at, conversation_id)
        except SQLAlchemyError as exc:
            if not store_unavailable(exc):
                raise
            # the model's work is done and the client gets it; the row follows when the
            # store is back (flowgen_core/serving/outbox.py)
            log.warning("store unavailable; %s kept in the outbox", conversation_id)
            await run_in_threadpool(outbox.put, served, at, conversation_id)
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
    async def feedback(
        body: FeedbackRequest, who: Principal = Depends(principal)
    ) -> FeedbackResponse:
        """Record a merchant's reaction to one of the shop's conversations."""
        _may_date(who, body.at)
        if outbox.holds(body.conversation_id):
            raise Overloaded(
                f"conversation_id {body.conversation_id!r}: still being recorded; retry later"
            )
        saved = None
        if body.saved_definition is not None:
            saved = await to_thread.run_sync(_saved, body.saved_definition, limiter=parsing)
        feedback_id = await run_in_threadpool(
            lambda: recorder.feedback(
                body.conversation_id,
                body.kind,
                saved,
                body.at,
                shop_id=who.shop_id,
                token_id=who.token_id,
                trusted=who.trusted,
            )
        )
        return FeedbackResponse(
            feedback_id=feedback_id, conversation_id=body.conversation_id, kind=body.kind
        )

    @app.post("/v1/chat/completions", response_model=ChatResponse, responses=ERRORS)
    async def chat(body: ChatRequest, _: Principal = Depends(principal)) -> ChatResponse:
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
