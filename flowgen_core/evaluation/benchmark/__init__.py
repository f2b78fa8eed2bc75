"""The hand-written benchmark suite: the case files, `cases.jsonl` built from them, the builder.

`cases/<category>/<name>.dsl` holds one case each: a merchant's request plus the expected
workflow written as Python DSL text (easier to review than JSON); `build.py` reads them as text,
transpiles each to the platform format, validates it against the catalog and writes
`cases.jsonl`. Evaluation reads only the JSONL.
"""
