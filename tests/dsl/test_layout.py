"""Automatic positions: rows by longest path from a source, centred columns per row."""

from __future__ import annotations

from flowgen_core.dsl.layout import COLUMN_WIDTH, ROW_HEIGHT, auto_positions


def test_a_diamond_puts_the_branches_side_by_side_around_the_centre() -> None:
    pos = auto_positions(4, [(0, 1), (0, 2), (1, 3), (2, 3)])
    assert pos[0] == (0, 0)
    assert pos[1] == (-COLUMN_WIDTH // 2, ROW_HEIGHT)
    assert pos[2] == (COLUMN_WIDTH // 2, ROW_HEIGHT)
    assert pos[3] == (0, 2 * ROW_HEIGHT)


def test_a_step_sits_below_its_deepest_predecessor() -> None:
    # 0 -> 1 -> 2 and a shortcut 0 -> 2: step 2 goes on row 2, not row 1.
    pos = auto_positions(3, [(0, 1), (1, 2), (0, 2)])
    assert [y for _, y in pos] == [0, ROW_HEIGHT, 2 * ROW_HEIGHT]


def test_unlinked_steps_share_the_first_row_in_step_order() -> None:
    pos = auto_positions(3, [])
    assert pos == [(-COLUMN_WIDTH, 0), (0, 0), (COLUMN_WIDTH, 0)]


def test_a_chain_longer_than_the_recursion_limit_is_laid_out() -> None:
    n = 5000
    pos = auto_positions(n, [(i, i + 1) for i in range(n - 1)])
    assert pos[-1] == (0, (n - 1) * ROW_HEIGHT)
