"""Teachers: the offline stand-in's determinism and content; the LLM teacher over real HTTP."""

from __future__ import annotations

from pathlib import Path

from chat_server import ChatServer

from flowgen_core.agent.suites import load_benchmark
from flowgen_core.catalog.model import Catalog
from flowgen_core.data.build import DataConfig, synthetic_set
from flowgen_core.data.teacher import LLMTeacher, OfflineTeacher
from flowgen_core.dsl.to_python import to_python
from flowgen_core.llm import LLMConfig, OpenAIChatClient
from flowgen_core.store.extract import Extraction


def _programs(catalog: Catalog) -> list[str]:
    return [to_python(c.expected, catalog)[0] for c in load_benchmark()[:30]]


def test_offline_teacher_is_deterministic_and_varies_by_key(catalog: Catalog) -> None:
    teacher = OfflineTeacher(catalog)
    programs = _programs(catalog)
    keys = [f"wf-{i}" for i in range(len(programs))]
    first = teacher.requests(programs, keys)
    assert first == OfflineTeacher(catalog).requests(programs, keys)
    assert all(r.strip() for r in first)
    again = teacher.requests([programs[0]] * 8, [f"other-{i}" for i in range(8)])
    assert len(set(again)) >= 4  # several phrasings of one workflow


def test_offline_teacher_keeps_the_values_and_leaves_out_the_title(catalog: Catalog) -> None:
    program = to_python(load_benchmark()[0].expected, catalog)[0]  # tag orders over $500
    assert "Money('500')" in program and "high-value" in program
    for i in range(6):
        request = OfflineTeacher(catalog).requests([program], [f"k{i}"])[0]
        assert "500" in request and "high-value" in request
        assert "Tag high-value orders" not in request
        assert "def " not in request and "(" not in request


def _client(server: ChatServer, cache: Path) -> OpenAIChatClient:
    config = LLMConfig(server.url, "teacher-1", "sk-test-key-9", backoff_s=0.01, cache_dir=cache)
    return OpenAIChatClient(config)


def test_llm_teacher_over_http_retries_and_hits_the_cache_on_rerun(
    teacher_server: ChatServer, tmp_path: Path, catalog: Catalog
) -> None:
    programs = _programs(catalog)[:5]
    keys = [str(i) for i in range(5)]
    teacher_server.fail_next = 2  # transient 503s are retried
    with _client(teacher_server, tmp_path) as client:
        teacher = LLMTeacher(client)
        got = teacher.requests(programs, keys)
        assert teacher.name == "llm:teacher-1"
    assert got[0] == "please set up: tag high value orders"  # quotes and trailer stripped
    assert teacher_server.hits == 5 + 2
    body = teacher_server.bodies[-1]
    assert body["model"] == "teacher-1" and body["messages"][0]["role"] == "system"
    assert body["messages"][1]["content"] in programs
    with _client(teacher_server, tmp_path) as client:  # a rerun: every answer from disk
        assert LLMTeacher(client).requests(programs, keys) == got
        assert client.requests_sent == 0
    assert teacher_server.hits == 7


def test_synthetic_set_through_the_llm_teacher(
    teacher_server: ChatServer, tmp_path: Path, demo_week: Extraction, catalog: Catalog
) -> None:
    with _client(teacher_server, tmp_path) as client:
        result = synthetic_set(demo_week, catalog, LLMTeacher(client), DataConfig())
    assert result.teacher == "llm:teacher-1"
    assert result.examples
    assert all(e.request.startswith("please set up: ") for e in result.examples)
