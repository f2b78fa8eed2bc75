"""The agent loop, shared by evaluation and serving.

Public API (stable; serving uses it):

- `Agent(model_dir, config=AgentConfig(), catalog=None)`: loads an HF model folder (the one
  given, nothing else) and its tokenizer;
- `Agent.run(request, existing_workflow=None) -> AgentResult`: one request (an edit when the
  existing `Workflow` is given);
- `Agent.run_batch([(request, existing_or_None), ...]) -> list[AgentResult]`: many requests,
  results in input order;
- `Agent.generate(prompt_ids_list, max_new) -> [(text, tokens, ended)]`: one batched greedy
  turn (for a server that runs the loop turn by turn); `Agent.tokenizer`, `Agent.config`;
- `AgentResult`: `python`, `workflow` (None unless the Python parsed and transpiled),
  `valid` (it also validated against the catalog), `error_bucket` (one of
  `metrics.ERROR_BUCKETS`) and `error`, `messages` (the trajectory, in the dataset's message
  format), `latency_ms`, `tokens`, `prompt_tokens`, `tool_calls`, `malformed_tool_calls`,
  `hallucinated_tasks`, `hallucinated_fields`.

A conversation starts from the interface's `first_messages` (system prompt and request, plus
the existing workflow as Python for an edit). Each assistant turn is generated from the chat
template the trainer uses; a turn that holds `<tool_call>` blocks (the Qwen3 layout:
`<tool_call>\\n{"name": ..., "arguments": {...}}\\n</tool_call>`) has its calls answered by the
interface's `run_tool` and the loop continues; a turn without calls is the final answer: the
workflow as Python, read by `from_python` (with `ast`, never executed) and checked by the
validator, a task outside the catalog being an error (`check_answer`).

Limits: `max_steps` assistant turns, `max_new_tokens` per turn and `token_budget` in total; a
turn that ends without `<|im_end|>` ran out of tokens. A malformed tool call (not JSON, an
unknown tool, arguments `run_tool` refuses) ends the case as a failure; nothing raises.

Generation is batched: every conversation still running takes its next turn in one
left-padded `generate` call with the KV cache on.
"""

from __future__ import annotations

import ast
import json
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from flowgen_core.agent.interface import TOOLS, first_messages, run_tool
from flowgen_core.agent.render import render_prompt
from flowgen_core.catalog.model import Catalog, load_catalog
from flowgen_core.dsl.from_python import DslError, from_python
from flowgen_core.dsl.model import Workflow
from flowgen_core.dsl.to_python import to_python
from flowgen_core.dsl.validate import validate
from flowgen_core.errors import FlowgenError, InvalidInput

log = logging.getLogger("flowgen.evaluation.agent")

TOOL_NAMES = tuple(t["function"]["name"] for t in TOOLS)
_TOOL_CALL = re.compile(r"<tool_call>(.*?)(?:</tool_call>|$)", re.S)
_FENCE = re.compile(r"```(?:python)?\n(.*?)(?:```|$)", re.S)
# Names the DSL gives a meaning to besides catalog tasks (from_python's whitelist).
DSL_NAMES = frozenset(
    {"task", "branch", "after", "link", "port", "meta", "any", "all", "is_empty", "env", "typed"}
    | {"compare", "logical", "array", "each"}
)


@dataclass(frozen=True)
class AgentConfig:
    """Limits and batching of the agent loop."""

    max_steps: int = 3  # assistant turns per case (tool rounds plus the final answer)
    max_new_tokens: int = 256  # tokens one turn may generate
    token_budget: int = 640  # tokens a whole case may generate
    max_prompt_tokens: int = 8192  # a longer conversation ends the case (context_overflow)
    # Conversations per generate call: on CPU the per-token step cost is mostly fixed overhead,
    # so one wide batch is far faster than several narrow ones.
    batch_size: int = 128
    # torch CPU threads while generating; 0 = torch's default. A tiny model's per-token work is
    # too small to split, and on shared cores OpenMP's spin-waits made 2 threads 2-17x slower
    # than 1 (bench/eval.py), so 1 is the default; GPU generation does not depend on it.
    threads: int = 1

    def __post_init__(self) -> None:
        if min(self.max_steps, self.max_new_tokens, self.token_budget, self.batch_size) < 1:
            raise ValueError(
                "agent max_steps, max_new_tokens, token_budget and batch_size must be >= 1"
            )


@dataclass
class AgentResult:
    """What one request gave: the Python, the workflow (None on failure) and the evidence."""

    python: str | None = None
    workflow: Workflow | None = None
    error_bucket: str | None = None  # one of ERROR_BUCKETS, None when the workflow is valid
    error: str = ""  # one line
    messages: list[dict[str, Any]] = field(default_factory=list)  # the trajectory
    latency_ms: float = 0.0  # request to delivered workflow (batched: from the batch start)
    tokens: int = 0  # tokens generated
    # Prompt tokens read over all turns: the prefill work, which grows with tool responses.
    prompt_tokens: int = 0
    tool_calls: int = 0  # tool calls made (well-formed ones)
    malformed_tool_calls: int = 0
    # Task names not in the catalog: called in the Python or asked of task_configuration.
    hallucinated_tasks: list[str] = field(default_factory=list)
    hallucinated_fields: list[str] = field(default_factory=list)  # `task.field` not in schema

    @property
    def valid(self) -> bool:
        """True when the workflow parsed, transpiled and validated."""
        return self.workflow is not None and self.error_bucket is None


@dataclass
class _Conversation:
    result: AgentResult
    done: bool = False
    turns: int = 0


def parse_tool_calls(text: str) -> tuple[list[dict[str, Any]], int]:
    """Well-formed tool calls in an assistant turn (OpenAI shape) and how many were malformed."""
    calls: list[dict[str, Any]] = []
    bad = 0
    for raw in _TOOL_CALL.findall(text):
        try:
            obj = json.loads(raw.strip())
        except ValueError:
            bad += 1
            continue
        if (
            not isinstance(obj, dict)
            or obj.get("name") not in TOOL_NAMES
            or not isinstance(obj.get("arguments"), dict)
        ):
            bad += 1
            continue
        calls.append(
            {
                "type": "function",
                "function": {
                    "name": obj["name"],
                    "arguments": json.dumps(obj["arguments"], sort_keys=True),
                },
            }
        )
    return calls, bad


def extract_python(text: str) -> str:
    """The program in a final answer (inside a ``` fence when there is one)."""
    m = _FENCE.search(text)
    return (m.group(1) if m else text).strip() + "\n"


def hallucinations(source: str, catalog: Catalog) -> tuple[list[str], list[str]]:
    """Called names that are neither catalog tasks nor DSL words; keyword fields not in a task."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return [], []
    tasks: set[str] = set()
    fields: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        name = node.func.id
        task = catalog.by_python_name(name)
        if task is None:
            if name not in DSL_NAMES and not name[:1].isupper():
                tasks.add(name)
            continue
        for kw in node.keywords:
            if kw.arg and not kw.arg.startswith("_") and task.field(kw.arg) is None:
                fields.add(f"{name}.{kw.arg}")
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                deco_name = deco.id if isinstance(deco, ast.Name) else None
                if deco_name and catalog.by_python_name(deco_name) is None:
                    tasks.add(deco_name)
    return sorted(tasks), sorted(fields)


def check_answer(source: str, catalog: Catalog) -> tuple[Workflow | None, str | None, str]:
    """A final answer's workflow and, when it fails, its error bucket and message.

    The Python is read by `from_python` (with `ast`, never executed), then validated with
    unknown tasks as errors: the model only knows the catalog's tasks (through task_search),
    so a task outside it in its answer is a syntactic failure, not a third-party app. The
    workflow is None when the Python did not parse or transpile; the bucket is None when valid.
    """
    if not source.strip():
        return None, "no_python", "the final answer is empty"
    try:
        wf = from_python(source, catalog)
    except DslError as exc:
        return None, "parse", str(exc)
    except (FlowgenError, SyntaxError, ValueError, RecursionError) as exc:
        return None, "transpile", " ".join(str(exc).split())[:200]
    errors = validate(wf, catalog, unknown_tasks="error")
    if errors:
        return wf, "validation", f"{errors[0].bucket}: {errors[0].message}"
    return wf, None, ""


def _parsed(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages as the chat template takes them (arguments and tool answers as JSON values)."""
    out = []
    for m in messages:
        m = dict(m)
        if m["role"] == "tool":
            m["content"] = json.loads(m["content"])
        if m.get("tool_calls"):
            m["tool_calls"] = [
                {
                    **tc,
                    "function": {
                        **tc["function"],
                        "arguments": json.loads(tc["function"]["arguments"]),
                    },
                }
                for tc in m["tool_calls"]
            ]
        out.append(m)
    return out


class Agent:
    """A model directory (HF format) driven through the tool loop."""

    def __init__(
        self, model_dir: Path, config: AgentConfig | None = None, catalog: Catalog | None = None
    ) -> None:
        config = config or AgentConfig()
        self.config = config
        self.catalog = catalog or load_catalog()
        self.tokenizer = AutoTokenizer.from_pretrained(model_dir)
        self.model = AutoModelForCausalLM.from_pretrained(
            model_dir, dtype=torch.float32, attn_implementation="sdpa"
        )
        self.model.eval()
        self.eos_id = self.tokenizer.eos_token_id
        self.pad_id = self.tokenizer.pad_token_id

    def run(self, request: str, existing_workflow: Workflow | None = None) -> AgentResult:
        """One request (an edit when `existing_workflow` is given) through the loop."""
        return self.run_batch([(request, existing_workflow)])[0]

    def run_batch(self, items: list[tuple[str, Workflow | None]]) -> list[AgentResult]:
        """Many requests, `batch_size` conversations per generate call, results in order."""
        out: list[AgentResult] = []
        for start in range(0, len(items), self.config.batch_size):
            out.extend(self._run_group(items[start : start + self.config.batch_size]))
        return out

    def _run_group(self, items: list[tuple[str, Workflow | None]]) -> list[AgentResult]:
        t0 = time.perf_counter()
        convs = []
        for request, existing in items:
            existing_python = to_python(existing, self.catalog)[0] if existing else None
            convs.append(
                _Conversation(AgentResult(messages=first_messages(request, existing_python)))
            )
        while True:
            active = [c for c in convs if not c.done]
            if not active:
                break
            prompts = []
            for c in active:
                ids = render_prompt(self.tokenizer, _parsed(c.result.messages), TOOLS)
                if len(ids) > self.config.max_prompt_tokens:
                    self._fail(c, "context_overflow", f"prompt of {len(ids)} tokens", t0)
                else:
                    c.result.prompt_tokens += len(ids)
                    prompts.append((c, ids))
            if not prompts:
                continue
            budget = min(
                self.config.max_new_tokens,
                max(self.config.token_budget - c.result.tokens for c, _ in prompts),
            )
            texts = self._generate([ids for _, ids in prompts], budget)
            for (c, _), (text, n_tokens, ended) in zip(prompts, texts, strict=True):
                room = self.config.token_budget - c.result.tokens
                if n_tokens > room:  # the batch ran longer than this case's own budget
                    n_tokens, ended = room, False
                c.result.tokens += n_tokens
                c.turns += 1
                self._turn(c, text, ended, t0)
        return [c.result for c in convs]

    def generate(self, prompts: list[list[int]], max_new: int) -> list[tuple[str, int, bool]]:
        """Greedy continuations of token-id prompts, batched: for each, (text before
        <|im_end|>, tokens generated, whether it ended with <|im_end|>)."""
        return self._generate(prompts, max_new)

    def _generate(self, prompts: list[list[int]], max_new: int) -> list[tuple[str, int, bool]]:
        width = max(len(p) for p in prompts)
        input_ids = torch.full((len(prompts), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(prompts), width), dtype=torch.long)
        for i, p in enumerate(prompts):
            input_ids[i, width - len(p) :] = torch.tensor(p)
            mask[i, width - len(p) :] = 1
        threads = torch.get_num_threads()
        if self.config.threads:
            torch.set_num_threads(self.config.threads)
        try:
            with torch.inference_mode():
                out = self.model.generate(  # type: ignore[misc]
                    input_ids=input_ids,
                    attention_mask=mask,
                    max_new_tokens=max_new,
                    do_sample=False,
                    use_cache=True,
                    eos_token_id=self.eos_id,
                    pad_token_id=self.pad_id,
                )
        finally:
            torch.set_num_threads(threads)
        results = []
        for row in out[:, width:].tolist():
            ended = self.eos_id in row
            kept = row[: row.index(self.eos_id)] if ended else row
            text = str(self.tokenizer.decode(kept, skip_special_tokens=False))
            results.append((text, len(kept) + (1 if ended else 0), ended))
        return results

    def _turn(self, c: _Conversation, text: str, ended: bool, t0: float) -> None:
        r = c.result
        if not ended:
            r.messages.append({"role": "assistant", "content": text})
            self._final(c, text, t0, bucket="token_budget")
            return
        calls, bad = parse_tool_calls(text)
        if bad or ("<tool_call>" in text and not calls):
            r.malformed_tool_calls += max(bad, 1)
            r.messages.append({"role": "assistant", "content": text})
            self._fail(c, "malformed_tool_call", f"{max(bad, 1)} malformed tool call(s)", t0)
            return
        if not calls:
            r.messages.append({"role": "assistant", "content": text})
            self._final(c, text, t0)
            return
        content = text.split("<tool_call>")[0].strip()
        r.messages.append({"role": "assistant", "content": content, "tool_calls": calls})
        for call in calls:
            fn = call["function"]
            try:
                answer = run_tool(fn["name"], json.loads(fn["arguments"]), self.catalog)
            except InvalidInput as exc:  # e.g. a `limit` out of range: the call is malformed
                r.malformed_tool_calls += 1
                self._fail(c, "malformed_tool_call", str(exc), t0)
                return
            r.messages.append({"role": "tool", "name": fn["name"], "content": answer})
            r.tool_calls += 1
            if fn["name"] == "task_configuration":  # asking for a task that does not exist
                r.hallucinated_tasks = sorted(
                    set(r.hallucinated_tasks) | set(self._unknown(json.loads(fn["arguments"])))
                )
        if c.turns >= self.config.max_steps:
            self._fail(c, "step_limit", f"still calling tools after {c.turns} turns", t0)
        elif r.tokens >= self.config.token_budget:
            self._fail(c, "token_budget", f"{r.tokens} tokens used", t0)

    def _unknown(self, arguments: dict[str, Any]) -> list[str]:
        """Names in a task_configuration call that are neither Python names nor task ids."""
        return [
            n
            for n in arguments.get("names", [])
            if self.catalog.by_python_name(n) is None and self.catalog.get(n) is None
        ]

    def _final(self, c: _Conversation, text: str, t0: float, bucket: str | None = None) -> None:
        r = c.result
        source = extract_python(text)
        r.python = source
        tasks, r.hallucinated_fields = hallucinations(source, self.catalog)
        r.hallucinated_tasks = sorted(set(r.hallucinated_tasks) | set(tasks))
        if bucket is not None:
            self._fail(c, bucket, "ran out of tokens before the end of the turn", t0)
            return
        r.workflow, failed, message = check_answer(source, self.catalog)
        if failed is not None:
            self._fail(c, failed, message, t0)
            return
        c.done = True
        r.latency_ms = (time.perf_counter() - t0) * 1000

    def _fail(self, c: _Conversation, bucket: str, message: str, t0: float) -> None:
        c.done = True
        c.result.error_bucket = bucket
        c.result.error = message
        c.result.latency_ms = (time.perf_counter() - t0) * 1000
