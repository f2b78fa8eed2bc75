"""The deployment and infra files parse and say what the flows and the CLI rely on.

`docker compose config` cannot run here (the machine's docker has no compose plugin), so the
compose file is checked as YAML for the services and wiring it must have.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import yaml

from flowgen_core.cli.deploy_cmd import project_root, render_config
from flowgen_core.settings import load_settings

ROOT = project_root()


def _prefect_yaml() -> dict:
    return yaml.safe_load((ROOT / "deployments" / "prefect.yaml").read_text())


def test_prefect_yaml_names_the_three_deployments_their_pools_and_the_cron() -> None:
    config = _prefect_yaml()
    by_name = {d["name"]: d for d in config["deployments"]}
    assert set(by_name) == {"weekly-retrain", "backfill", "train"}
    for d in by_name.values():
        module, func = d["entrypoint"].split(":")
        assert (ROOT / module).is_file() and f"def {func}(" in (ROOT / module).read_text()
    weekly = by_name["weekly-retrain"]
    assert weekly["work_pool"]["name"] == "cpu"
    assert weekly["schedules"] == [{"cron": "0 3 * * 1", "timezone": "UTC", "active": True}]
    assert by_name["backfill"]["schedules"] == []
    assert by_name["train"]["work_pool"]["name"] == "h200"
    assert by_name["train"]["concurrency_limit"] == 1


def test_render_config_moves_everything_to_a_process_pool_with_local_defaults(
    tmp_path: Path,
) -> None:
    settings = load_settings(state_dir=tmp_path / "state")
    config = render_config(
        _prefect_yaml(),
        cpu="local",
        gpu="local",
        pool_types={"local": "process"},
        local_checkout=ROOT,
        settings=settings,
    )
    assert {d["work_pool"]["name"] for d in config["deployments"]} == {"local"}
    for d in config["deployments"]:
        assert d["work_pool"]["job_variables"] == {
            "env": {"FLOWGEN_STATE_DIR": str(settings.state_path)}
        }
        assert d["parameters"] == {}
    step = config["pull"][0]["prefect.deployments.steps.set_working_directory"]
    assert step["directory"] == str(ROOT)


def test_h200_job_template_runs_torchrun_on_two_nodes_with_user_variables() -> None:
    template = json.loads((ROOT / "infra" / "k8s" / "h200-job-template.json").read_text())
    variables = template["variables"]["properties"]
    for name in ("image", "node_selector", "gpus_per_node", "volumes", "env_from", "nodes"):
        assert "default" in variables[name], name
    assert variables["nodes"]["default"] == 2 and variables["gpus_per_node"]["default"] == 8
    spec = template["job_configuration"]["job_manifest"]["spec"]
    assert spec["completionMode"] == "Indexed" and spec["completions"] == "{{ nodes }}"
    container = spec["template"]["spec"]["containers"][0]
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env["PET_NNODES"] == "{{ nodes }}:{{ nodes }}" and env["PET_RDZV_BACKEND"] == "c10d"
    assert container["resources"]["limits"]["nvidia.com/gpu"] == "{{ gpus_per_node }}"
    assert container["command"][-1] == "/app/infra/k8s/node-entrypoint.sh"
    script = ROOT / "infra" / "k8s" / "node-entrypoint.sh"
    assert subprocess.run(["sh", "-n", str(script)], check=False).returncode == 0


def test_k8s_manifests_and_compose_file_parse_with_the_parts_they_need() -> None:
    kinds = []
    for path in sorted((ROOT / "infra" / "k8s").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            assert {"apiVersion", "kind", "metadata"} <= set(doc), path
            kinds.append((doc["kind"], doc["metadata"]["name"]))
    assert ("Deployment", "prefect-worker-h200") in kinds
    assert ("Deployment", "mlflow") in kinds
    assert ("Service", "flowgen-train") in kinds
    compose = yaml.safe_load((ROOT / "infra" / "compose" / "docker-compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "minio", "prefect-server", "worker", "mlflow"} <= set(services)
    assert services["worker"]["environment"]["FLOWGEN_ARTIFACT_STORE"].startswith("s3://")
    for name, service in services.items():
        for dep in service.get("depends_on", {}):
            assert dep in services, f"{name} depends on unknown service {dep}"
