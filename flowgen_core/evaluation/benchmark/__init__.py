"""The hand-written benchmark suite: `cases.jsonl` (data) and the script that builds it.

`cases.py` holds every case as a merchant's request plus the expected workflow written in the
Python DSL (easier to review than JSON); `build.py` transpiles each one to the platform format,
validates it against the catalog and writes `cases.jsonl`. Evaluation reads only the JSONL.
"""
