"""One config value's checks: durations, recurrence rules, resource paths, numbers and bounds."""

from __future__ import annotations

import json

import pytest

from flowgen_core.dsl.field_values import (
    bounds_problem,
    duration_seconds,
    field_value_problem,
    recurrence_problem,
    resource_path,
    short_number,
)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("PT10M", 600.0),
        ("P1D", 86400.0),
        ("P1W", 7 * 86400.0),
        ("PT1.5S", 1.5),
        ("P1Y", 365 * 86400.0),
    ],
)
def test_durations_in_seconds(value: str, seconds: float) -> None:
    assert duration_seconds(value) == seconds


@pytest.mark.parametrize("value", ["P", "PT", "10M", "P1H", "PT-1M"])
def test_malformed_durations_are_none(value: str) -> None:
    assert duration_seconds(value) is None


def test_resource_paths_plain_or_as_json_with_a_default() -> None:
    assert resource_path("order.id") == "order.id"
    assert resource_path(json.dumps({"value": "", "default_value": "customer.id"})) == "customer.id"
    assert resource_path(json.dumps({"value": "order.id", "default_value": "x.id"})) == "order.id"
    assert resource_path("{{ order.id }}") is None
    assert resource_path(json.dumps({"value": "", "default_value": "not a path"})) is None


def test_recurrence_must_be_one_rrule_at_least_ten_minutes_apart() -> None:
    assert recurrence_problem(json.dumps(["RRULE:FREQ=DAILY;BYHOUR=9"])) is None
    assert recurrence_problem(json.dumps(["RRULE:FREQ=MINUTELY;INTERVAL=10"])) is None
    too_often = recurrence_problem(json.dumps(["RRULE:FREQ=MINUTELY;INTERVAL=5"]))
    assert too_often is not None and too_often.startswith("runs every 5 minutes")
    # Two BYMINUTE values 3 minutes apart make the gap 3 minutes, whatever FREQ says.
    close = recurrence_problem(json.dumps(["RRULE:FREQ=HOURLY;BYMINUTE=0,3"]))
    assert close is not None and close.startswith("runs every 3 minutes")
    assert recurrence_problem("[]") == "not a non-empty JSON array of iCalendar text"
    assert "exactly one RRULE" in (recurrence_problem(json.dumps(["DTSTART:2026"])) or "")
    assert "no valid FREQ" in (recurrence_problem(json.dumps(["RRULE:FREQ=SOMETIMES"])) or "")


def test_field_kinds_name_the_problem_and_let_liquid_through_where_it_runs() -> None:
    assert field_value_problem("number", " 3") == "' 3' is not a decimal number"
    assert field_value_problem("number", "{{ order.total }}") is None
    assert field_value_problem("enum", "b", ("a", "c")) == "'b' is not one of a, c"
    assert (
        field_value_problem("string_list", '["a", 1]')
        == "'[\"a\", 1]' is not a JSON array of strings"
    )
    assert field_value_problem("resource_id", "{{ order.id }}") == (
        "'{{ order.id }}' is Liquid; a resource id is an environment path such as order.id"
    )
    assert field_value_problem("text", "{% anything %}") is None


def test_bounds_and_numbers_read_as_written() -> None:
    assert bounds_problem(0.5, 1, None) == "0.5 is below the minimum 1"
    assert bounds_problem(12.0, None, 10.0) == "12 is above the maximum 10"
    assert bounds_problem(5, 1, 10) is None
    assert (short_number(3.0), short_number(2.5)) == ("3", "2.5")
