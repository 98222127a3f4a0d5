"""The export corpus: every fixture read as its manifest says (rows, sums, totals).

``tests/fixtures/exports/MANIFEST.yaml`` lists each fixture with its provenance and
what reading it must give (rows, sums, reconciliation statuses, and where set the
warnings it gives and the lines it keeps aside by reason); one test per entry.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from leadkpi import read
from leadkpi.exceptions import DataFileError

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"
MANIFEST = yaml.safe_load((EXPORTS / "MANIFEST.yaml").read_text(encoding="utf-8"))


def test_the_manifest_covers_every_fixture_of_the_corpus():
    files = {
        str(p.relative_to(EXPORTS))
        for p in EXPORTS.rglob("*")
        if p.is_file() and p.name != "MANIFEST.yaml"
    }
    listed = [entry["file"] for entry in MANIFEST]
    assert len(listed) == len(set(listed))
    assert set(listed) == files
    assert len(files) >= 40
    assert all(entry["provenance"].strip() for entry in MANIFEST)


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_each_export_reads_as_its_manifest_says(entry):
    path = EXPORTS / entry["file"]
    if "refused" in entry:
        with pytest.raises(DataFileError, match=entry["refused"]):
            read(path)
        return
    result = read(path)
    assert result.profile == entry["profile"]
    rows = entry["rows"]
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (
        rows["read"],
        rows["loaded"],
        rows["rejected"],
    ), result.rejects.to_string()
    for column, expected in entry.get("sums", {}).items():
        assert float(result.table[column].sum()) == pytest.approx(expected, abs=0.005)
    for words in entry.get("warns", []):
        assert any(words in w for w in result.warnings), result.warnings
    for reason, lines in entry.get("skipped", {}).items():
        found = result.skipped.loc[result.skipped["reason"] == reason, "line"]
        assert found.tolist() == lines, result.skipped.to_string()
    statuses = entry.get("reconciliation")
    if statuses is None:
        assert result.reconciliation is None
    else:
        assert sorted(set(result.reconciliation["status"])) == statuses
