"""Automatic canvas positions for workflows written without a layout sidecar."""

from __future__ import annotations

from collections import defaultdict

ROW_HEIGHT = 200  # canvas units between a step and the steps it links to
COLUMN_WIDTH = 300  # canvas units between steps on the same row


def auto_positions(n_steps: int, edges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Integer [x, y] per step: rows by longest path from a source, centred columns per row."""
    preds: dict[int, list[int]] = defaultdict(list)
    for a, b in edges:
        preds[b].append(a)
    depth: dict[int, int] = {}

    def row(i: int) -> int:
        # Iterative longest path; the graph is a DAG (the reader rejects cycles).
        stack = [i]
        while stack:
            j = stack[-1]
            todo = [p for p in preds[j] if p not in depth]
            if todo:
                stack.extend(todo)
                continue
            stack.pop()
            depth[j] = max((depth[p] + 1 for p in preds[j]), default=0)
        return depth[i]

    rows: dict[int, list[int]] = defaultdict(list)
    for i in range(n_steps):
        rows[row(i)].append(i)
    pos: list[tuple[int, int]] = [(0, 0)] * n_steps
    for r, members in rows.items():
        for k, i in enumerate(members):
            pos[i] = (COLUMN_WIDTH * k - COLUMN_WIDTH * (len(members) - 1) // 2, ROW_HEIGHT * r)
    return pos
