"""pyproject.toml and environment.yml must list the same runtime dependencies."""

from __future__ import annotations

import re
import tomllib

import yaml


def _requirement(text: str) -> tuple[str, str]:
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(?:>=\s*([\w.]+))?\s*", text)
    assert match, f"unexpected requirement {text!r}: write it as name>=version"
    return match.group(1).lower().replace("_", "-"), match.group(2) or ""


def test_environment_matches_pyproject(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    runtime = dict(_requirement(r) for r in project["dependencies"])
    env = yaml.safe_load((root / "environment.yml").read_text())
    conda = dict(_requirement(d) for d in env["dependencies"] if isinstance(d, str))
    conda.pop("pip", None)
    python = conda.pop("python")
    assert python == project["requires-python"].removeprefix(">=")
    assert conda == runtime, "environment.yml and pyproject.toml have drifted"
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e .[dev]" in pip


def test_dev_extra_has_the_test_tools(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    dev = {_requirement(r)[0] for r in project["optional-dependencies"]["dev"]}
    assert {"pytest", "nbval", "hypothesis", "ruff"} <= dev
