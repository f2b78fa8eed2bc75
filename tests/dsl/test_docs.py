"""The examples in docs/python-dsl.md are the real output for the corpus files they name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flowgen_core.catalog import load_catalog
from flowgen_core.dsl.flowfile import read_flow
from flowgen_core.dsl.from_python import DslError, from_python
from flowgen_core.dsl.sameness import same_workflow
from flowgen_core.dsl.to_python import to_python

ROOT = Path(__file__).parents[2]
DOC = (ROOT / "docs" / "python-dsl.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"<!-- corpus: (\S+) -->\n```python\n(.*?)```\n", DOC, re.S)


def test_the_doc_has_examples():
    assert len(EXAMPLES) >= 15


@pytest.mark.parametrize(("name", "program"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
def test_each_example_is_what_to_python_writes_and_reads_back(name: str, program: str):
    catalog = load_catalog()
    wf = read_flow((ROOT / "tests" / "dsl" / "corpus" / name).read_text(encoding="utf-8"))
    assert to_python(wf, catalog)[0] == program
    assert same_workflow(wf, from_python(program, catalog)) is None


def test_the_refusal_example_is_true():
    line = re.search(r"flowgen: error: bad\.py: (line \d+, col \d+: .*)", DOC).group(1)
    program = "@order_created\ndef w(order):\n    while order.x:\n        pass\n"
    with pytest.raises(DslError) as info:
        from_python(program, load_catalog())
    assert str(info.value) == line
