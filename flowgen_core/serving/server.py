"""Running the API: model URIs to folders, and uvicorn in a thread for tests, bench and demo.

`flowgen serve` runs uvicorn in the foreground; tests, the benchmark and the demo run the same
app on a free loopback port in a background thread (a real HTTP server, real sockets).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine

from flowgen_core.catalog.model import Catalog, load_catalog
from flowgen_core.errors import UnreadableInput, UsageError
from flowgen_core.registry import Registry
from flowgen_core.serving.app import create_app
from flowgen_core.serving.champion import Champion, ServeConfig
from flowgen_core.serving.outbox import Outbox
from flowgen_core.serving.recorder import Recorder
from flowgen_core.serving.tokens import Authenticator

Resolver = Callable[[str], tuple[str, Path, dict[str, str]]]


def resolver(tracking_uri: str | None) -> Resolver:
    """uri -> (version label, model folder, tags): `models:/<name>@<alias>|/<n>` or a folder."""
    registries: dict[str, Registry] = {}

    def resolve(uri: str) -> tuple[str, Path, dict[str, str]]:
        if uri.startswith("models:/"):
            name = uri[len("models:/") :].split("@")[0].split("/")[0]
            if tracking_uri is None:
                raise UsageError(f"--model {uri}: no MLflow tracking URI to resolve it in")
            registry = registries.get(name) or Registry(tracking_uri, name=name)
            registries[name] = registry
            mv = registry.resolve(uri)
            return f"{name}/{mv.version}", mv.model_dir, mv.tags
        path = Path(uri.removeprefix("file://")).expanduser().resolve()
        if not (path / "config.json").is_file():
            raise UnreadableInput(f"--model {uri}: not a model folder (no config.json)")
        return f"local:{path.name}", path, {}

    return resolve


def serving_engine(url: str) -> Engine:
    """The server's own pool, with short waits: when the store is slow or the pool is full, a
    write fails within seconds and the answer goes to the outbox instead of holding the
    request (the default pool would wait 30 s and then fail it)."""
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        pool_timeout=5,
        connect_args={"connect_timeout": 5},
    )


def build(
    config: ServeConfig,
    engine: Engine,
    tracking_uri: str | None,
    catalog: Catalog | None = None,
    outbox_dir: Path | None = None,
) -> tuple[FastAPI, Champion]:
    """Load the model the config names (errors raise here) and the app over it.

    `outbox_dir`: where answers the store could not take wait on disk (None: in memory, for
    tests and benchmarks; `flowgen serve` passes one under the state dir).
    """
    champion = Champion(config, catalog or load_catalog(), resolver(tracking_uri))
    champion.start()
    recorder = Recorder(engine)
    auth = Authenticator(engine, cache_s=config.auth_cache_s)
    return create_app(champion, recorder, auth, Outbox(recorder, outbox_dir)), champion


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running(app: FastAPI, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve `app` in a background thread; yields its base URL; stops it on exit."""
    port = port or free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, name="flowgen-http", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the server did not start on {host}:{port}")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
