"""`leadkpi course build`: one page per lesson and a contents page per language,
linked together, no script, switched into place in one step; and the real course
opened in a headless browser."""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from browsers import require_chromium, run_chromium

from leadkpi.cli import main
from leadkpi.course import site
from leadkpi.exceptions import ArgumentError
from leadkpi.report import CONTENT_SECURITY_POLICY

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
HREF = re.compile(r'href="([^"#]+)"')
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def _lesson(folder: Path, name: str, title: str, words: int, checks: list[str]):
    """A small lesson notebook: a title, ``words`` words of prose, exercises, and
    an HTML output that tries to run a script."""
    prose = " ".join(["word"] * words)
    cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\n{prose}")]
    for exercise in checks:
        cell = nbformat.v4.new_code_cell(f'check("{exercise}", answer)')
        cells.append(cell)
    shown = nbformat.v4.new_code_cell("table")
    shown.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            {"text/html": f"<table><tr><td>{HOSTILE}</td></tr></table>",
             "text/plain": "table"},
            execution_count=1,
        )
    ]  # fmt: skip
    cells.append(shown)
    nb = nbformat.v4.new_notebook(cells=cells)
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)


@pytest.fixture
def course(tmp_path) -> Path:
    root = tmp_path / "course"
    _lesson(root / "en", "01_first.ipynb", "Lesson 1 — First", 390, ["1.1", "1.2"])
    _lesson(root / "en", "02_second.ipynb", "Lesson 2 — <Second> & co", 100, [])
    _lesson(root / "es", "01_primera.ipynb", "Lección 1 — Primera", 390, ["1.1", "1.2"])
    _lesson(root / "es", "02_segunda.ipynb", "Lección 2 — Segunda", 100, [])
    return root


def _read(out: Path, name: str) -> str:
    return (out / name).read_text(encoding="utf-8")


def test_reading_time_is_words_at_200_a_minute_plus_the_exercises(course):
    first, second = site.lessons("en", course)
    assert first.title == "Lesson 1 — First"
    assert first.exercises == ("1.1", "1.2")
    # title "Lesson", "1", "First" + 390 words of prose; code: twice "check", "1",
    # "1", "answer", then "table": 402 words / 200 = 2.01 min + 2 × 3 min → 9
    assert first.words == 402
    assert first.minutes == 9
    assert second.words == 4 + 100 + 1  # "Lesson", "2", "Second", "co"; no exercise
    assert second.minutes == 1


def test_every_lesson_has_a_page_and_every_link_leads_to_one(course, tmp_path):
    out = tmp_path / "site"
    front = site.build(out, folder=course)
    assert front == out / "index.html"
    names = sorted(p.name for p in out.glob("*.html"))
    assert names == [
        "en.html", "en_01_first.html", "en_02_second.html", "es.html",
        "es_01_primera.html", "es_02_segunda.html", "index.html",
    ]  # fmt: skip
    for name in names:
        page = _read(out, name)
        for href in HREF.findall(page):
            assert (out / href).is_file(), (name, href)
    contents = _read(out, "en.html")
    assert re.findall(r'<li><a href="([^"]+)"', contents) == [
        "en_01_first.html",
        "en_02_second.html",
    ]
    assert "· 9 min</span>" in contents and "· 1 min</span>" in contents
    assert '<a href="es.html" hreflang="es" lang="es">Español</a>' in contents
    assert "Índice" in _read(out, "es_01_primera.html")


def test_a_lesson_page_links_to_its_neighbours_and_its_other_language(
    course, tmp_path
):
    out = tmp_path / "site"
    site.build(out, folder=course)
    first, second = _read(out, "en_01_first.html"), _read(out, "en_02_second.html")
    assert 'href="en_02_second.html" rel="next"' in first
    assert 'rel="prev"' not in first
    assert 'href="en_01_first.html" rel="prev"' in second
    assert 'href="es_02_segunda.html" hreflang="es"' in second
    assert 'href="en_01_first.html" hreflang="en"' in _read(out, "es_01_primera.html")
    assert '<html lang="es">' in _read(out, "es_02_segunda.html")
    # code is shown: it is a course
    assert 'class="highlight' in first and "check" in first


def test_no_page_can_run_a_script_and_titles_are_escaped(course, tmp_path):
    out = tmp_path / "site"
    site.build(out, folder=course)
    for page in out.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert f'content="{CONTENT_SECURITY_POLICY}"' in html, page.name
        assert "<script" not in html and "<img src=x" not in html, page.name
    lesson = _read(out, "en_01_first.html")
    assert '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror="alert(2)"' in (
        lesson
    )  # the output's markup is shown as text, not run
    contents = _read(out, "en.html")
    assert "Lesson 2 — &lt;Second&gt; &amp; co" in contents
    assert "<Second>" not in contents


def test_a_rebuild_replaces_the_whole_site_in_one_step(course, tmp_path):
    out = tmp_path / "site"
    site.build(out, folder=course)
    for lang, name in (("en", "02_second"), ("es", "02_segunda")):
        (course / lang / f"{name}.ipynb").unlink()
    site.build(out, folder=course)
    names = sorted(p.name for p in out.glob("*.html"))
    assert names == ["en.html", "en_01_first.html", "es.html", "es_01_primera.html",
                     "index.html"]  # fmt: skip
    assert "en_02_second" not in _read(out, "en.html")
    hidden = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
    assert len(hidden) == 2  # the current link and the one version it leads to
    assert os.readlink(out / ".course.current") in hidden


def test_languages_with_different_lessons_are_refused(course, tmp_path):
    (course / "es" / "02_segunda.ipynb").unlink()
    with pytest.raises(ArgumentError, match="same lessons in every language; found "
                       "en: 01, 02; es: 01"):  # fmt: skip
        site.build(tmp_path / "site", folder=course)
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_lesson_without_a_title_is_named(course, tmp_path):
    path = course / "en" / "01_first.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = "no heading here"
    nbformat.write(nb, path)
    with pytest.raises(ArgumentError, match=r"01_first.ipynb: a lesson starts with"):
        site.lessons("en", course)


def test_the_command_line_error_is_one_line_with_exit_2(tmp_path, capsys):
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder")
    assert main(["course", "build", "--out", str(blocker / "site")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a file is in the way" in err


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    """The course that ships with leadkpi, built by the command line."""
    out = tmp_path_factory.mktemp("course") / "site"
    assert main(["course", "build", "--out", str(out)]) == 0
    return out


def test_the_real_course_has_both_languages_lesson_by_lesson(real_site):
    for lang in ("en", "es"):
        found = site.lessons(lang)
        assert [x.number for x in found] == [x.number for x in site.lessons("en")]
        contents = _read(real_site, f"{lang}.html")
        for lesson in found:
            assert f'href="{lesson.page}">{lesson.title}</a>' in contents
            page = _read(real_site, lesson.page)
            nb = nbformat.read(lesson.path, as_version=4)
            charts = sum(
                "image/png" in output.get("data", {})
                for cell in nb.cells
                for output in cell.get("outputs", [])
            )
            assert page.count('src="data:image/png;base64,') == charts, lesson.page
            assert "<script" not in page


def _dom(tmp_path: Path, page: Path) -> str:
    browser = require_chromium()
    done = run_chromium(
        browser, tmp_path / "profile", *FLAGS, "--dump-dom", page.as_uri(),
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_browser_opens_the_contents_and_a_lesson(real_site, tmp_path):
    contents = _dom(tmp_path, real_site / "en.html")
    assert "<h1>Lead-generation KPIs: a self-checking course</h1>" in contents
    assert ">Lesson 4 — Attribution: who gets the credit?</a>" in contents
    lesson = _dom(tmp_path, real_site / "es_04_atribucion.html")
    body = lesson[lesson.index("<body") :]
    title = "Lección 4 — Atribución: ¿a quién le damos el mérito?"
    assert f"<title>{title}</title>" in lesson
    assert re.search(r"<h1[^>]*>Lección 4 — Atribución", body)
    assert 'src="data:image/png;base64,' in body  # the charts are embedded
    assert 'href="en_04_attribution.html"' in body
