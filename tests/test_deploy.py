"""deploy/k8s/ and docker-compose.yml: valid against the Kubernetes schemas (the ones
kubernetes-validate ships, no network), and saying what operations rely on."""

from pathlib import Path

import kubernetes_validate
import pytest
import yaml

# The same in both suites (own processes, no database of the suite's): the embedded
# suite runs it; make test-services leaves it out (pyproject.toml, markers).
pytestmark = pytest.mark.single_run

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "k8s"
KUBERNETES_VERSION = "1.30.0"


def documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def manifests() -> dict[tuple[str, str], dict]:
    found = {}
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in documents(path):
            found[(doc["kind"], doc["metadata"]["name"])] = doc
    return found


MANIFESTS = manifests()


def containers(kind: str, name: str) -> list[dict]:
    spec = MANIFESTS[(kind, name)]["spec"]["template"]["spec"]
    return spec["containers"]


@pytest.mark.parametrize("key", sorted(MANIFESTS), ids="/".join)
def test_manifest_is_valid_against_the_kubernetes_schema(key):
    kubernetes_validate.validate(MANIFESTS[key], KUBERNETES_VERSION, strict=True)


def test_kustomization_lists_every_manifest_but_the_secret_example():
    listed = set(documents(K8S / "kustomization.yaml")[0]["resources"])
    on_disk = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == on_disk - {"secret.example.yaml"}


def test_every_part_is_there():
    deployments = {name for kind, name in MANIFESTS if kind == "Deployment"}
    assert deployments == {"socialhub-web", "socialhub-ws", "socialhub-worker", "socialhub-beat"}
    job = containers("Job", "socialhub-migrate")[0]
    assert job["command"] == ["python", "manage.py", "migrate", "--noinput"]
    external = {name for kind, name in MANIFESTS if kind == "Service"}
    assert {"postgres", "redis"} <= external
    assert MANIFESTS[("Service", "postgres")]["spec"]["type"] == "ExternalName"


def test_beat_is_exactly_one():
    beat = MANIFESTS[("Deployment", "socialhub-beat")]["spec"]
    assert beat["replicas"] == 1
    assert beat["strategy"] == {"type": "Recreate"}
    hpa_targets = {
        doc["spec"]["scaleTargetRef"]["name"]
        for (kind, _), doc in MANIFESTS.items()
        if kind == "HorizontalPodAutoscaler"
    }
    assert hpa_targets == {"socialhub-web", "socialhub-ws"}


@pytest.mark.parametrize("name", ["socialhub-web", "socialhub-ws"])
def test_serving_pods_are_probed_on_healthz_and_readyz(name):
    (container,) = containers("Deployment", name)
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    # The kubelet and Prometheus call the pod by its IP: it must pass ALLOWED_HOSTS.
    env = {item["name"]: item for item in container["env"]}
    assert "$(POD_IP)" in env["ALLOWED_HOSTS"]["value"]
    names = [item["name"] for item in container["env"]]
    assert names.index("POD_IP") < names.index("ALLOWED_HOSTS")


def test_every_container_has_resources_config_and_secrets():
    for kind, name in MANIFESTS:
        if kind not in ("Deployment", "Job"):
            continue
        for container in containers(kind, name):
            assert container["resources"]["requests"]["memory"], name
            assert container["resources"]["limits"]["memory"], name
            refs = {next(iter(ref)) for ref in container["envFrom"]}
            assert refs == {"configMapRef", "secretRef"}, name


def test_disruption_budgets_cover_the_serving_parts():
    budgets = {
        doc["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"]
        for (kind, _), doc in MANIFESTS.items()
        if kind == "PodDisruptionBudget"
    }
    assert budgets == {"web", "ws", "worker"}


def test_multiprocess_metrics_where_there_are_several_processes():
    for name in ("socialhub-web", "socialhub-worker"):
        env = {item["name"]: item.get("value") for item in containers("Deployment", name)[0]["env"]}
        assert env["PROMETHEUS_MULTIPROC_DIR"] == "/tmp/prometheus", name
    web = containers("Deployment", "socialhub-web")[0]
    assert "--config=python:config.gunicorn" in web["command"]


def test_docker_compose_still_parses_and_probes_readiness():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "migrate", "web", "ws", "worker", "beat", "proxy"} <= set(services)
    for name in ("web", "ws"):
        assert "/readyz" in " ".join(services[name]["healthcheck"]["test"]), name
    assert "9100/healthz" in " ".join(services["worker"]["healthcheck"]["test"])
    # Each service still gets the shared settings (a merge key, not a replacement).
    for name in ("web", "worker"):
        assert "DATABASE_URL" in services[name]["environment"], name
        assert services[name]["environment"]["PROMETHEUS_MULTIPROC_DIR"] == "/tmp/prometheus"
