"""Serving the champion: the HTTP API (app), the served model and its reload (champion), one
chat turn (turn), the store writer (recorder), simulated merchants (simulate), the multi-week
demo (demo) and running the app (server). See docs/serving.md."""
