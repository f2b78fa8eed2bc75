"""Selection rules at their boundaries, with counts, and the round-trip quarantine."""

from __future__ import annotations

from pathlib import Path

from flowgen_core.catalog.model import Catalog
from flowgen_core.data.select import round_trip, select_workflows
from flowgen_core.dsl.flowfile import read_flow
from flowgen_core.dsl.from_python import from_python
from flowgen_core.dsl.sameness import same_workflow

from .helpers import extraction_of, payloads, record

CORPUS = Path(__file__).parents[1] / "dsl" / "corpus"


def test_ran_once_and_two_per_shop_are_the_boundaries(catalog: Catalog) -> None:
    p = payloads()
    wfs = [
        record("a1", "shop-a", "d1", runs=1, definition=p[0]),  # ran once: kept
        record("a2", "shop-a", "d2", runs=3, definition=p[1]),
        record("a3", "shop-a", "d3", runs=0, definition=p[2]),  # never ran: out
        record("b1", "shop-b", "d4", runs=5, definition=p[3]),  # only 1 that ran: shop out
        record("b2", "shop-b", "d5", runs=0, definition=p[4]),
    ]
    chosen, counts, quarantined = select_workflows(extraction_of(wfs), catalog, frozenset())
    assert [s.record.id for s in chosen] == ["a1", "a2"]
    assert counts == {
        "workflows": 5,
        "ran_in_7d": 3,
        "shop_has_2plus": 2,
        "not_heldout_shop": 2,
        "round_trip_ok": 2,
        "one_per_descriptor": 2,
    }
    assert quarantined == []


def test_one_per_descriptor_keeps_the_most_used(catalog: Catalog) -> None:
    p = payloads()
    wfs = [
        record("x1", "shop-x", "tag_big", runs=2, definition=p[0], days=2),
        record("x2", "shop-x", "tag_big", runs=9, definition=p[1], days=5),
        record("y1", "shop-y", "tag_big", runs=9, definition=p[2], days=4),
        record("y2", "shop-y", "email", runs=1, definition=p[3]),
    ]
    chosen, counts, _ = select_workflows(extraction_of(wfs), catalog, frozenset())
    assert {s.record.descriptor: s.record.id for s in chosen} == {"tag_big": "x2", "email": "y2"}
    assert counts["one_per_descriptor"] == 2


def test_heldout_shops_never_reach_the_synthetic_set(catalog: Catalog) -> None:
    p = payloads()
    wfs = [record(f"{s}{i}", f"shop-{s}", f"d{s}{i}", 1, p[i]) for s in "ab" for i in range(2)]
    chosen, counts, _ = select_workflows(extraction_of(wfs), catalog, frozenset({"shop-b"}))
    assert {s.record.shop_id for s in chosen} == {"shop-a"}
    assert counts["shop_has_2plus"] == 4 and counts["not_heldout_shop"] == 2


def test_a_workflow_that_does_not_round_trip_is_quarantined_with_the_reason(
    catalog: Catalog,
) -> None:
    p = payloads()
    # A duplicated key reads fine but cannot come back byte for byte.
    broken = p[1].replace('"note":null', '"note":null,"note":null', 1)
    invalid = p[2].replace('"task_version":"0.1"', '"task_version":"0.2"', 1)
    wfs = [
        record("k1", "shop-k", "d1", 1, p[0]),
        record("k2", "shop-k", "d2", 1, broken),
        record("k3", "shop-k", "d3", 1, invalid),
        record("k4", "shop-k", "d4", 1, "{not json"),
    ]
    chosen, counts, quarantined = select_workflows(extraction_of(wfs), catalog, frozenset())
    assert [s.record.id for s in chosen] == ["k1"]
    reasons = dict(quarantined)
    assert reasons["k2"].startswith("round_trip: payload bytes differ")
    assert reasons["k3"].startswith("invalid: ")
    assert reasons["k4"].startswith("unreadable: ")
    assert counts["not_heldout_shop"] == 4 and counts["round_trip_ok"] == 1


def test_a_workflow_with_a_task_outside_the_catalog_is_quarantined(catalog: Catalog) -> None:
    # Valid for `flowgen dsl validate` (a warning), but the model could not find the task with
    # task_search, so the example cannot be learned through the tools.
    action = (CORPUS / "unknown_third_party_task.flow").read_text(encoding="utf-8")
    trigger = (CORPUS / "real_shapes" / "uuid_custom_trigger.flow").read_text(encoding="utf-8")
    wfs = [
        record("u1", "shop-u", "d1", 1, payloads()[0]),
        record("u2", "shop-u", "d2", 1, action),
        record("u3", "shop-u", "d3", 1, trigger),
    ]
    chosen, counts, quarantined = select_workflows(extraction_of(wfs), catalog, frozenset())
    assert [s.record.id for s in chosen] == ["u1"]
    assert dict(quarantined) == {
        "u2": "invalid: taskErrors: unknown task acme::teleport_parcel (not in the catalog)",
        "u3": "invalid: taskErrors: unknown task 0b3f6a42-9c1d-4e7a-8f25-6d4c3b2a1e90 "
        "(not in the catalog)",
    }
    assert counts["not_heldout_shop"] == 3 and counts["round_trip_ok"] == 1


def test_selected_python_reads_back_to_the_same_workflow(catalog: Catalog) -> None:
    for payload in payloads():
        wf, python = round_trip(payload, catalog)
        assert same_workflow(read_flow(payload), from_python(python, catalog)) is None
        assert wf == read_flow(payload)
