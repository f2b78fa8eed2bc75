"""The Dockerfile's targets, its pins, and the image every manifest names agree.

Docker cannot build here (a client without a daemon), so the files are checked as text and
YAML/JSON: the cpu and cuda targets exist and install from the one lock, every base image and
every flowgen image reference has a pinned tag, and each manifest names the image of the
target its pool needs (cuda on h200, cpu elsewhere). The smoke script the images run is
syntax-checked and run against this checkout (the cpu checks).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
INFRA = ROOT / "infra"
FLOWGEN_IMAGE = "ghcr.io/example/flowgen"


def _version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"])


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    return pins


def dockerfile_stages() -> tuple[dict[str, str], dict[str, list[str]], dict[str, str]]:
    """ARG defaults, each stage's instructions (continuations joined), each stage's FROM."""
    text = (INFRA / "Dockerfile").read_text()
    lines = [ln for ln in text.replace("\\\n", " ").splitlines() if not ln.startswith("#")]
    args: dict[str, str] = {}
    stages: dict[str, list[str]] = {}
    parents: dict[str, str] = {}
    current = None
    for line in filter(None, (ln.strip() for ln in lines)):
        word, _, rest = line.partition(" ")
        if word == "ARG" and current is None and "=" in rest:
            key, value = rest.split("=", 1)
            args[key] = value
        elif word == "FROM":
            match = re.fullmatch(r"(\S+) AS (\S+)", rest)
            assert match, f"every stage is named: {line}"
            image, current = match.groups()
            parents[current] = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], image)
            stages[current] = []
        elif current is not None:
            stages[current].append(line)
    return args, stages, parents


def _pip_installs(instructions: list[str]) -> list[str]:
    runs = " && ".join(i.removeprefix("RUN ") for i in instructions if i.startswith("RUN "))
    return [c.strip() for c in runs.split("&&") if "pip install" in c]


def test_dockerfile_has_cpu_and_cuda_targets_on_one_base_with_pinned_images() -> None:
    _args, stages, parents = dockerfile_stages()
    assert {"base", "cpu", "cuda"} <= set(stages)
    assert parents["cpu"] == "base" and parents["cuda"] == "base"
    for stage, image in parents.items():
        if image in stages:
            continue
        name, _, tag = image.rpartition(":")
        assert name and tag and tag != "latest", f"{stage}: unpinned base image {image}"
        assert re.search(r"\d+\.\d+", tag), f"{stage}: tag {tag} names no version"
    for target in ("cpu", "cuda"):
        runs = [i for i in stages[target] if i.startswith("RUN ")]
        assert runs[-1] == "RUN sh /app/infra/smoke.sh", f"{target} does not end with the smoke"
        env = " ".join(i for i in stages[target] if i.startswith("ENV "))
        assert f"FLOWGEN_IMAGE_TARGET={target}" in env
    for image_stage, instructions in stages.items():
        for line in instructions:
            if line.startswith("COPY") and "--from" not in line:
                source = shlex.split(line)[1]
                assert (ROOT / source).exists(), f"{image_stage}: COPY of missing {source}"


def test_every_pip_install_uses_a_lock_and_torch_builds_match_the_targets() -> None:
    _args, stages, _parents = dockerfile_stages()
    for stage, instructions in stages.items():
        for cmd in _pip_installs(instructions):
            assert re.search(r"-c \S*constraints(-vllm)?\.txt", cmd), f"{stage}: unlocked {cmd}"
    cpu, cuda = _pip_installs(stages["cpu"]), _pip_installs(stages["cuda"])
    # the CPU build of torch from the CPU index; the default index's (CUDA) build on cuda
    assert any(c.endswith(" torch") and "/whl/cpu" in c for c in cpu)
    assert any(c.endswith(" torch") and "--index-url" not in c for c in cuda)
    assert any('".[cuda]"' in c and "flash_attn" in c for c in cuda)
    assert any("constraints-vllm.txt vllm" in c and "/opt/vllm" in c for c in cuda)


def test_the_locks_agree_with_pyproject_and_keep_the_engine_apart() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lock = _pins(ROOT / "constraints.txt")
    declared = [*project["dependencies"], *project["optional-dependencies"]["cuda"]]
    for requirement in declared:
        name, version = requirement.split("==")
        name = re.sub(r"\[.*\]", "", name).lower().replace("_", "-")
        assert lock[name] == version, f"{name}: pyproject {version}, constraints {lock[name]}"
    engine = _pins(INFRA / "constraints-vllm.txt")
    assert "vllm" in engine and "torch" in engine
    # the reason for the second lock: the engine's torch is not the trainer's
    assert engine["torch"] != lock["torch"]
    assert "accelerate" in lock  # the hf engine's multi-GPU placement (serving/loading.py)


def _k8s_images() -> dict[str, str]:
    """Every container image in infra/k8s's manifests, by '<file>:<container>'."""
    found = {}
    for path in sorted((INFRA / "k8s").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            spec = doc.get("spec", {}).get("template", {}).get("spec", {})
            for c in spec.get("containers", []):
                found[f"{path.name}:{c['name']}"] = c["image"]
    return found


def _image_references() -> dict[str, str]:
    refs = _k8s_images()
    template = json.loads((INFRA / "k8s" / "h200-job-template.json").read_text())
    refs["h200-job-template.json:default"] = template["variables"]["properties"]["image"]["default"]
    prefect: dict[str, Any] = yaml.safe_load((ROOT / "deployments" / "prefect.yaml").read_text())
    for key, image in prefect["definitions"]["images"].items():
        refs[f"prefect.yaml:definitions.{key}"] = image
    for d in prefect["deployments"]:
        if "image" in d["work_pool"].get("job_variables", {}):
            refs[f"prefect.yaml:{d['name']}"] = d["work_pool"]["job_variables"]["image"]
    compose = yaml.safe_load((INFRA / "compose" / "docker-compose.yaml").read_text())
    for name, service in compose["services"].items():
        refs[f"compose:{name}"] = service["image"]
    return refs


def test_every_image_reference_is_pinned_and_flowgen_ones_name_the_right_target() -> None:
    version = _version()
    refs = _image_references()
    for where, image in refs.items():
        name, _, tag = image.rpartition(":")
        assert name and tag and tag != "latest", f"{where}: {image} is not pinned"
    flowgen = {w: i for w, i in refs.items() if i.startswith(FLOWGEN_IMAGE + ":")}
    gpu = {
        "h200-job-template.json:default",
        "prefect.yaml:train",
        "prefect.yaml:definitions.cuda",
    }
    cpu = {
        "prefect-worker-cpu.yaml:worker",
        "mlflow.yaml:mlflow",
        "prefect.yaml:definitions.cpu",
        "compose:mlflow",
        "compose:worker",
    }
    assert gpu | cpu <= set(flowgen)
    for where, image in flowgen.items():
        target = "cuda" if where in gpu else "cpu"
        assert image == f"{FLOWGEN_IMAGE}:{version}-{target}", f"{where}: {image}"
    compose = yaml.safe_load((INFRA / "compose" / "docker-compose.yaml").read_text())
    assert compose["services"]["mlflow"]["build"]["target"] == "cpu"


def test_cpu_pool_worker_runs_the_process_worker_in_the_project_image() -> None:
    docs = list(yaml.safe_load_all((INFRA / "k8s" / "prefect-worker-cpu.yaml").read_text()))
    (deployment,) = [d for d in docs if d["kind"] == "Deployment"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == [
        "prefect",
        "worker",
        "start",
        "--pool",
        "cpu",
        "--type",
        "process",
    ]
    assert container["workingDir"] == "/app"  # prefect.yaml's pull step
    prefect = yaml.safe_load((ROOT / "deployments" / "prefect.yaml").read_text())
    step = prefect["pull"][0]["prefect.deployments.steps.set_working_directory"]
    assert step["directory"] == container["workingDir"]
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    assert mounts["/models"]["readOnly"] is True


@pytest.mark.integration  # runs the smoke script on this checkout
def test_smoke_script_parses_and_passes_on_this_checkout_as_the_cpu_target() -> None:
    script = INFRA / "smoke.sh"
    assert subprocess.run(["sh", "-n", str(script)], check=False).returncode == 0
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHON": sys.executable,
        "PYTHONPATH": str(ROOT),
        "FLOWGEN_IMAGE_TARGET": "cpu",
    }
    done = subprocess.run(
        ["sh", str(script)], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "smoke ok: target cpu" in done.stdout
    # a cuda image with a CPU-only torch fails it
    env["FLOWGEN_IMAGE_TARGET"] = "cuda"
    failed = subprocess.run(
        ["sh", str(script)], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert failed.returncode != 0 and "CPU-only torch" in failed.stderr
