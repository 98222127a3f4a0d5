"""A report of exports full of hostile strings: nothing runs, everything reads back.

A monthly report travels by e-mail; whoever can name a campaign, a company or a UTM
parameter writes into it. The sample project is copied with HTML, script, Markdown
and mathtext payloads in the config's name, a channel, a campaign, owners, sources,
UTM values, a rejected cell and a file name, rendered once by the real command, and
opened in headless Chromium.
"""

from __future__ import annotations

import csv
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from cli_runs import render_monthly
from test_report_browser import _chromium, browser  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
CONTACTS = "hubspot-crm-exports-all-contacts.csv"

#: Each payload, if it ever ran, would set the page title to a "pwned" marker.
NAME = (
    "# Acme | a | b | [click](javascript:alert(1)) **bold** "
    "<script>document.title='pwned-name'</script>"
)
CHANNEL = "<img src=x onerror=\"document.title='pwned-channel'\"> $\\foo$ & co"
CAMPAIGN = "<script>document.title='pwned-campaign'</script>"
OWNER = "<b onmouseover=alert(1)>Eve</b> <svg onload=\"document.title='pwned-owner'\">"
SOURCE = "<iframe src=\"javascript:document.title='pwned-source'\"></iframe>"
MEDIUM = "<details open ontoggle=\"document.title='pwned-utm'\">"
REJECTED = "<img src=y onerror=\"document.title='pwned-reject'\">"
FILE = "spend<img src=z onerror=document.title='pwned-file'>.csv"
HOSTILE = {
    "name": NAME,
    "channel": CHANNEL,
    "campaign": CAMPAIGN,
    "owner": OWNER,
    "source": SOURCE,
    "utm": MEDIUM,
    "rejected cell": REJECTED,
    "file": FILE,
}
#: Where the monthly report shows each value: the subtitle, the channel table and
#: charts, the speed table, the checks' example, the rejects and accounting tables.
SHOWN = ("name", "channel", "owner", "source", "utm", "rejected cell", "file")


def _hostile_contacts(path: Path) -> None:
    """Every third lead owned by OWNER; UTM-tagged leads by turns in CAMPAIGN
    (which a channel rule sends to CHANNEL) or from SOURCE / MEDIUM (no rule)."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    at = {name: header.index(name) for name in header}
    for number, row in enumerate(rows[1:]):
        if number % 3 == 0:
            row[at["Contact owner"]] = OWNER
        if not row[at["UTM Source"]]:
            continue
        if number % 5 == 0:
            row[at["UTM Campaign"]] = CAMPAIGN
        elif number % 5 == 1:
            row[at["UTM Source"]], row[at["UTM Medium"]] = SOURCE, MEDIUM
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows(rows)


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("hostile")
    data = project / "data"
    shutil.copytree(SAMPLE, data)
    _hostile_contacts(data / CONTACTS)
    spend = (data / "spend.csv").read_text(encoding="utf-8")
    channel = CHANNEL.replace('"', '""')
    extra = [
        f'2026-10-{day:02d},"{channel}","{CAMPAIGN}",{10 + day}.50,100,3,,,,'
        for day in range(1, 29)
    ]
    rejected = REJECTED.replace('"', '""')
    extra.append(f'2026-10-15,events,webinar_monthly,"{rejected}",1,1,,,,')
    (data / FILE).write_text(spend + "\n".join(extra) + "\n", encoding="utf-8")
    (data / "spend.csv").unlink()
    config = yaml.safe_load((ROOT / "leadkpi.yaml").read_text(encoding="utf-8"))
    config["name"] = NAME
    config["sources"]["spend"][-1] = f"data/{FILE}"
    config["channel_rules"] = [{"utm_campaign": "^<script>", "channel": CHANNEL}]
    for table, source in config["sources"].items():
        if table != "spend":
            config["sources"][table] = _relocated(source)
    config["sources"]["spend"] = [_relocated(s) for s in config["sources"]["spend"]]
    (project / "leadkpi.yaml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return project


def _relocated(source):
    if isinstance(source, str):
        return source.replace("data/sample/", "data/")
    return {**source, "path": source["path"].replace("data/sample/", "data/")}


@pytest.fixture(scope="module")
def hostile_report(hostile_project) -> Path:
    return render_monthly(
        hostile_project / "leadkpi.yaml",
        hostile_project / "reports",
        hostile_project,
        "--notebook",
        str(ROOT / "notebooks" / "monthly_report.ipynb"),
    )


class _Page(HTMLParser):
    """The tags, attributes and text nodes of a page, as a browser built it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.texts: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        self.texts.append(data)


@pytest.fixture(scope="module")
def page(browser, hostile_report, tmp_path_factory) -> _Page:  # noqa: F811
    done = _chromium(
        browser,
        tmp_path_factory.mktemp("chromium"),
        "--virtual-time-budget=3000",
        "--dump-dom",
        hostile_report.as_uri(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    parsed = _Page()
    parsed.feed(done.stdout)
    return parsed


def test_no_injected_script_runs(page):
    assert "pwned" not in page.title
    assert page.title == "Monthly report — October 2026 (English)"


def test_no_markup_from_the_exports_reaches_the_page(page):
    handlers = [(t, a) for t, a in page.tags if any(k.startswith("on") for k in a)]
    assert handlers == []
    injected = {"script", "iframe", "svg", "details", "b", "strong"}
    assert [t for t, _ in page.tags if t in injected] == []
    links = [a.get("href", "") for t, a in page.tags if t == "a"]
    assert links and all(href.startswith("#") for href in links)  # heading anchors
    images = [a.get("src", "") for t, a in page.tags if t == "img"]
    assert images and all(src.startswith("data:image/png;base64,") for src in images)


@pytest.mark.parametrize("what", SHOWN)
def test_every_hostile_string_reads_back_literally(page, what):
    value = HOSTILE[what]
    assert any(value in text for text in page.texts), (what, value)


def test_report_declares_a_policy_that_forbids_scripts(hostile_report):
    head = hostile_report.read_text(encoding="utf-8").split("</head>")[0]
    assert 'http-equiv="Content-Security-Policy"' in head
    assert "script-src 'none'" in head and "default-src 'none'" in head
    assert "<script" not in head  # no require.js, MathJax or mermaid either
