"""leadkpi installs anywhere: the wheel carries what a report needs, `leadkpi init`
starts a project, and the installed package renders a report outside the repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

import leadkpi
from leadkpi.config import load_config
from leadkpi.exceptions import ConfigError, LeadKPIError
from leadkpi.project import find_config, source_files
from leadkpi.resources import BUNDLES, bundled
from leadkpi.scaffold import TABLE_FOLDERS, init_project

ROOT = Path(__file__).resolve().parents[1]


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_package_folder_is_listed_for_the_wheel():
    declared = set(_setuptools()["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "leadkpi").rglob("__init__.py")
    }
    mapped = {f"leadkpi.{name}" for name in BUNDLES}
    for name, folder in BUNDLES.items():  # notebooks/course/en → …notebooks.course.en
        subfolders = (
            sub.relative_to(ROOT / folder)
            for sub in (ROOT / folder).rglob("*")
            if sub.is_dir() and any(sub.glob("*.ipynb"))
        )
        mapped |= {
            ".".join(("leadkpi", name, *sub.parts))
            for sub in subfolders
            if not any(part.startswith(".") for part in sub.parts)
        }
    assert declared == on_disk | mapped


def test_bundles_map_the_folders_the_wheel_ships():
    package_dir = _setuptools()["package-dir"]
    assert package_dir == {f"leadkpi.{k}": v for k, v in BUNDLES.items()}
    for name in BUNDLES:
        assert bundled(name) == (ROOT / BUNDLES[name]).resolve()
    with pytest.raises(LeadKPIError, match="no bundle 'exports'"):
        bundled("exports")


def test_sample_config_reads_the_same_project_as_the_repository_config():
    """data/sample/leadkpi.yaml ships in the wheel; leadkpi.yaml is the repository's
    own copy with paths from the root. They must not drift apart."""
    repo = load_config(ROOT / "leadkpi.yaml")
    shipped = load_config(ROOT / "data" / "sample" / "leadkpi.yaml")
    files = [(s.table, s.profile, source_files(s)) for s in repo.sources]
    assert files == [(s.table, s.profile, source_files(s)) for s in shipped.sources]
    for field in ("name", "timezone", "currency", "sla_hours", "stages", "targets"):
        assert getattr(repo, field) == getattr(shipped, field), field
    shipped_files = {p.name for p in (ROOT / "data" / "sample").iterdir()}
    assert {f.name for _, _, paths in files for f in paths} | {"leadkpi.yaml"} == (
        shipped_files
    )


def test_find_config_walks_up_from_a_subfolder(tmp_path, monkeypatch):
    (tmp_path / "leadkpi.yaml").write_text("name: x\n")
    deep = tmp_path / "notebooks" / "drafts"
    deep.mkdir(parents=True)
    assert find_config(deep) == tmp_path / "leadkpi.yaml"
    monkeypatch.chdir(deep)
    assert find_config() == tmp_path / "leadkpi.yaml"


def test_find_config_says_what_to_do_when_there_is_none(tmp_path):
    with pytest.raises(ConfigError, match=r"no leadkpi.yaml in .* `leadkpi init DIR`"):
        find_config(tmp_path)


def test_init_writes_a_starter_project(tmp_path):
    created = init_project(tmp_path / "acme")
    project = tmp_path / "acme"
    assert created[0] == project / "leadkpi.yaml"
    assert [p.name for p in created[1:]] == [*TABLE_FOLDERS, "reports"]
    config = load_config(project / "leadkpi.yaml")
    assert [(s.table, s.profile) for s in config.sources] == [
        ("leads", "auto"),
        ("spend", "auto"),
    ]
    assert config.sources[0].path == project / "exports" / "leads"
    text = (project / "leadkpi.yaml").read_text()
    assert "# deals: {path: exports/deals, profile: auto}" in text  # to uncomment


def test_init_never_overwrites_a_project(tmp_path):
    init_project(tmp_path)
    before = (tmp_path / "leadkpi.yaml").read_bytes()
    with pytest.raises(LeadKPIError, match="exists already"):
        init_project(tmp_path, sample=True)
    assert (tmp_path / "leadkpi.yaml").read_bytes() == before
    assert not any((tmp_path / "exports" / "leads").iterdir())
    file = tmp_path / "a-file"
    file.write_text("")
    with pytest.raises(LeadKPIError, match="is a file"):
        init_project(file)


def test_init_with_the_sample_loads_what_the_sample_loads(tmp_path):
    init_project(tmp_path, sample=True)
    config = load_config(tmp_path / "leadkpi.yaml")
    assert sorted({s.table for s in config.sources}) == sorted(TABLE_FOLDERS)
    assert config.timezone == "Europe/Madrid"
    data, sample = leadkpi.load(config), leadkpi.load_sample()
    for table in TABLE_FOLDERS:
        assert len(data.tables[table]) == len(sample.tables[table]), table
    assert data.leads["created_at"].equals(sample.leads["created_at"])


def test_cli_init_prints_the_next_commands(tmp_path, capsys):
    from leadkpi.cli import main

    assert main(["init", str(tmp_path / "p")]) == 0
    out, err = capsys.readouterr()
    assert str(tmp_path / "p" / "leadkpi.yaml") in out
    assert "leadkpi validate" in err and "leadkpi report monthly" in err
    assert main(["init", str(tmp_path / "p")]) == 2
    assert "exists already" in capsys.readouterr().err


def _uv() -> str:
    found = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    if not Path(found).is_file():
        pytest.skip("uv is not installed (it comes with the dev extra)")
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [_uv(), "build", "--wheel", "--quiet", "--out-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("leadkpi-*.whl"))


def test_wheel_carries_notebooks_sample_template_and_license(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "leadkpi/notebooks/monthly_report.ipynb" in names
    for lang in ("en", "es"):
        folder = f"leadkpi/notebooks/course/{lang}/"
        assert any(n.startswith(folder) and n.endswith(".ipynb") for n in names), lang
    assert "leadkpi/course/check.py" in names
    assert "leadkpi/sample/leadkpi.yaml" in names
    assert "leadkpi/sample/hubspot-crm-exports-all-contacts.csv" in names
    assert "leadkpi/templates/leadkpi.yaml" in names
    assert any(re.search(r"\.dist-info/licenses/LICENSE$", n) for n in names)


def test_installed_wheel_renders_a_report_outside_the_repository(wheel, tmp_path):
    """A user's view: the built wheel (not the checkout) in a clean virtualenv, a
    project made by `leadkpi init --sample` in an unrelated folder, a report."""
    venv = tmp_path / "venv"
    unset = ("VIRTUAL_ENV", "PYTHONPATH")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    run = dict(check=True, capture_output=True, text=True, env=env)
    subprocess.run([_uv(), "venv", "--quiet", "--python", sys.executable, venv], **run)
    python = venv / "bin" / "python"
    lock = ROOT / "requirements" / "runtime.lock"
    subprocess.run(
        [_uv(), "pip", "install", "--quiet", "--python", python, "-r", lock], **run
    )
    subprocess.run(
        [_uv(), "pip", "install", "--quiet", "--python", python, "--no-deps", wheel],
        **run,
    )
    leadkpi_cli = venv / "bin" / "leadkpi"
    where = tmp_path / "elsewhere"
    where.mkdir()
    found = subprocess.run(
        [python, "-c", "import leadkpi; print(leadkpi.__file__)"], cwd=where, **run
    )
    assert Path(found.stdout.strip()).is_relative_to(venv)  # not the checkout
    subprocess.run([leadkpi_cli, "init", "acme", "--sample"], cwd=where, **run)
    project = where / "acme"
    report = subprocess.run(
        [leadkpi_cli, "report", "monthly", "--month", "2026-09", "--quiet"],
        cwd=project,
        **run,
    )
    html = project / report.stdout.strip()
    assert html == project / "reports" / "2026-09" / "monthly_report.html"
    text = html.read_text(encoding="utf-8")
    assert "Nubalia Cloud" in text
    assert len(re.findall(r'<img[^>]+src="data:image/png;base64,', text)) >= 5
    assert not re.search(r"<script[^>]+src=\"https?://", text)
