"""pyproject.toml and the conda environment files list the same dependencies."""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml

#: conda-forge package name → PyPI name, where they differ.
CONDA_TO_PYPI = {
    "matplotlib-base": "matplotlib",
    "nbconvert-core": "nbconvert",
    "ibis-duckdb": "ibis-framework",
    "python-duckdb": "duckdb",
}


def _requirement(text: str) -> tuple[str, str]:
    """Name and lower bound of ``name[extras]>=low`` (an upper cap ``,<high`` is
    allowed: it must then be the same in both files)."""
    match = re.fullmatch(
        r"\s*([A-Za-z0-9_.\-]+)(?:\[[\w,]+\])?\s*(?:>=\s*([\w.]+))?"
        r"\s*(,\s*<\s*[\w.]+)?\s*",
        text,
    )
    assert match, f"unexpected requirement {text!r}: write it as name>=version"
    name = match.group(1).lower().replace("_", "-")
    bound = (match.group(2) or "") + (match.group(3) or "").replace(" ", "")
    return CONDA_TO_PYPI.get(name, name), bound


def _project(root) -> dict:
    return tomllib.loads((root / "pyproject.toml").read_text())["project"]


def _conda(root, name: str) -> tuple[dict[str, str], list[str]]:
    env = yaml.safe_load((root / name).read_text())
    conda = dict(_requirement(d) for d in env["dependencies"] if isinstance(d, str))
    conda.pop("pip", None)
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    return conda, pip


@pytest.mark.parametrize(
    ("name", "extras", "install"),
    [
        ("environment.yml", ("lab",), "."),
        ("environment-dev.yml", ("lab", "dev"), "-e ."),
    ],
)
def test_conda_environment_matches_pyproject(root, name, extras, install):
    project = _project(root)
    wanted = dict(_requirement(r) for r in project["dependencies"])
    for extra in extras:
        wanted |= dict(_requirement(r) for r in project["optional-dependencies"][extra])
    conda, pip = _conda(root, name)
    python = conda.pop("python")
    assert python == project["requires-python"].removeprefix(">=")
    assert conda == wanted, f"{name} and pyproject.toml have drifted"
    assert pip == ["--no-deps", install]  # conda installs the dependencies


def test_dev_extra_has_the_test_tools(root):
    dev = {_requirement(r)[0] for r in _project(root)["optional-dependencies"]["dev"]}
    assert {"pytest", "nbval", "hypothesis", "ruff", "uv"} <= dev


def test_jupyterlab_is_an_extra_not_a_runtime_dependency(root):
    project = _project(root)
    runtime = {_requirement(r)[0] for r in project["dependencies"]}
    assert "jupyterlab" not in runtime
    assert "jupyterlab" in {
        _requirement(r)[0] for r in project["optional-dependencies"]["lab"]
    }


@pytest.mark.parametrize("lock", ["runtime.lock", "dev.lock", "lab.lock"])
def test_lock_files_pin_every_declared_dependency_with_hashes(root, lock):
    text = (root / "requirements" / lock).read_text()
    pinned = {
        m.group(1).lower().replace("_", "-")
        for m in re.finditer(r"(?m)^([A-Za-z0-9_.\-]+)==[\w.]+", text)
    }
    project = _project(root)
    declared = list(project["dependencies"])
    if lock != "runtime.lock":
        declared += project["optional-dependencies"]["dev"]
    if lock == "lab.lock":
        declared += project["optional-dependencies"]["lab"]
    missing = {_requirement(r)[0] for r in declared} - pinned
    assert not missing, f"{lock} lacks {sorted(missing)}: run `make lock`"
    assert "--hash=sha256:" in text
