"""The tiny trained and untrained agent models these tests use (`trained_case`,
`untrained_model`, `trained_model`, `ideal`) are session fixtures in tests/conftest.py, shared
with the serving tests."""
