"""Fixtures the tests (and the benchmarks) share: sample datasets and a tiny fitted agent."""
