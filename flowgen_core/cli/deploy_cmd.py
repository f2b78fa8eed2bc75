"""`flowgen deploy`: create the work pools and apply deployments/prefect.yaml to a Prefect server.

The target is the configured Prefect server (FLOWGEN_PREFECT_API_URL), else the server of
`flowgen stack up`. On the local stack both pools default to its process pool `local` and the
flows run from this checkout with this state dir; elsewhere the pools are `cpu` and `h200`
(Kubernetes, job template infra/k8s/h200-job-template.json, one job at a time) as the YAML says.
The deployments are applied by Prefect's own `prefect deploy`; this module imports no Prefect.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import typer
import yaml

import flows
from flowgen_core import stack
from flowgen_core.cli.common import JSON_OPTION, report
from flowgen_core.errors import FlowgenError, UnreadableInput, UsageError
from flowgen_core.settings import Settings, load_settings

log = logging.getLogger("flowgen.deploy")

GPU_POOL_TYPE = "kubernetes"
GPU_POOL_CONCURRENCY = 1  # one training job on the GPUs at a time
DEPLOY_TIMEOUT_S = 300


class DeployError(FlowgenError):
    """The Prefect server refused a pool or a deployment: exit code 1."""

    exit_code = 1


def project_root() -> Path:
    """The checkout holding flows/, tasks/, deployments/ and infra/."""
    return Path(flows.__file__).resolve().parent.parent


def deploy(
    cpu_pool: str = typer.Option(
        None, "--cpu-pool", help="Pool of weekly-retrain and backfill; default: local or cpu."
    ),
    gpu_pool: str = typer.Option(
        None, "--gpu-pool", help="Pool of the train deployment; default: local or h200."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Create the work pools and apply the deployments (weekly-retrain, backfill, train)."""
    settings = load_settings()
    api = stack.prefect_api_url(settings)
    if not api:
        raise UsageError(
            "no Prefect server to deploy to: run 'flowgen stack up' or set FLOWGEN_PREFECT_API_URL"
        )
    local = settings.prefect_api_url is None  # the server of `flowgen stack up`
    cpu = cpu_pool or ("local" if local else "cpu")
    gpu = gpu_pool or ("local" if local else "h200")
    _check_server(api)
    root = project_root()
    pools = {name: ensure_pool(api, name, name == gpu and gpu != cpu, root) for name in {cpu, gpu}}
    config = render_config(
        yaml.safe_load((root / "deployments" / "prefect.yaml").read_text()),
        cpu=cpu,
        gpu=gpu,
        pool_types=pools,
        local_checkout=root if local else None,
        settings=settings,
    )
    out_file = settings.state_path / "deploy" / "prefect.yaml"
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(yaml.safe_dump(config, sort_keys=False))
    apply(api, out_file, root, settings)
    deployed = list_deployments(api)
    payload = {"prefect_api_url": api, "pools": pools, "deployments": deployed}
    lines = [f"Prefect API {api}"]
    lines += [f"work pool {name} ({kind})" for name, kind in sorted(pools.items())]
    for d in deployed:
        crons = ", ".join(f"cron '{c}' UTC" for c in d["schedules"]) or "no schedule"
        lines.append(f"deployment {d['name']} on pool {d['work_pool']}: {crons}")
    report(payload, as_json, lines)


def _check_server(api: str) -> None:
    try:
        ok = httpx.get(f"{api}/health", timeout=5.0).status_code == 200
    except httpx.HTTPError:
        ok = False
    if not ok:
        raise UnreadableInput(f"Prefect server {api} does not answer /health")


def _prefect_env(api: str, settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    home = settings.state_path / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    env.update(
        PREFECT_API_URL=api, PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false"
    )
    return env


def ensure_pool(api: str, name: str, gpu: bool, root: Path) -> str:
    """Create the pool if missing (GPU: Kubernetes with our job template); its type."""
    found = httpx.get(f"{api}/work_pools/{name}", timeout=10.0)
    if found.status_code == 200:
        return str(found.json()["type"])
    if gpu:
        template = json.loads((root / "infra" / "k8s" / "h200-job-template.json").read_text())
        body = {
            "name": name,
            "type": GPU_POOL_TYPE,
            "base_job_template": template,
            "concurrency_limit": GPU_POOL_CONCURRENCY,
            "description": "GPU nodes: torchrun across 2 nodes x 8 H200 (flowgen train).",
        }
        created = httpx.post(f"{api}/work_pools/", json=body, timeout=10.0)
        if created.status_code >= 300:
            raise DeployError(f"work pool {name}: the server refused it: {created.text[:300]}")
        log.info("created work pool %s (%s, concurrency %d)", name, GPU_POOL_TYPE, 1)
        return GPU_POOL_TYPE
    # the CLI fills in the process worker's default job template, which the bare API does not
    cmd = [sys.executable, "-m", "prefect", "work-pool", "create", name, "--type", "process"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_API_URL"] = api
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        detail = " ".join((result.stdout + result.stderr).split())[-300:]
        raise DeployError(f"work pool {name}: could not create it: {detail}")
    log.info("created work pool %s (process)", name)
    return "process"


def render_config(
    config: dict[str, Any],
    *,
    cpu: str,
    gpu: str,
    pool_types: dict[str, str],
    local_checkout: Path | None,
    settings: Settings,
) -> dict[str, Any]:
    """prefect.yaml with the chosen pools.

    A process pool cannot take the Kubernetes job variables; on the local stack it gets this
    host's state dir instead. When training itself lands on a process pool it runs on that
    host's CPUs, so the deployments keep the embedded defaults (tiny recipe), not production's.
    """
    if local_checkout is not None:
        config["pull"] = [
            {"prefect.deployments.steps.set_working_directory": {"directory": str(local_checkout)}}
        ]
    for d in config["deployments"]:
        pool = gpu if d["name"] == "train" else cpu
        d["work_pool"]["name"] = pool
        if pool_types[pool] == "process":
            state = {"env": {"FLOWGEN_STATE_DIR": str(settings.state_path)}}
            d["work_pool"]["job_variables"] = state if local_checkout is not None else {}
        if pool_types[gpu] == "process":
            d["parameters"] = {}
    return config


def apply(api: str, prefect_file: Path, root: Path, settings: Settings) -> None:
    """Run `prefect deploy --all` on the rendered file from the project root."""
    cmd = [sys.executable, "-m", "prefect", "--no-prompt", "deploy", "--all"]
    cmd += ["--prefect-file", str(prefect_file)]
    log.info("applying %s to %s", prefect_file, api)
    try:
        result = subprocess.run(
            cmd,
            cwd=root,
            env=_prefect_env(api, settings),
            capture_output=True,
            text=True,
            timeout=DEPLOY_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired as exc:
        raise DeployError(f"prefect deploy took more than {DEPLOY_TIMEOUT_S}s") from exc
    if result.returncode != 0:
        detail = " ".join((result.stdout + result.stderr).split())[-400:]
        raise DeployError(f"prefect deploy failed: {detail}")


def list_deployments(api: str) -> list[dict[str, Any]]:
    """The deployments on the server with their flow, pool and cron schedules."""
    flows = httpx.post(f"{api}/flows/filter", json={}, timeout=10.0).json()
    names = {f["id"]: f["name"] for f in flows}
    out = []
    for d in httpx.post(f"{api}/deployments/filter", json={}, timeout=10.0).json():
        out.append(
            {
                "name": f"{names.get(d['flow_id'], '?')}/{d['name']}",
                "work_pool": d.get("work_pool_name"),
                "schedules": [
                    s["schedule"]["cron"]
                    for s in d.get("schedules", [])
                    if s.get("active") and "cron" in s.get("schedule", {})
                ],
                "parameters": d.get("parameters", {}),
            }
        )
    return sorted(out, key=lambda d: d["name"])
