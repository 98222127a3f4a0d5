"""The course as a small static HTML site: read it without running anything.

:func:`build` renders every lesson notebook of ``notebooks/course/<lang>/`` with its
committed outputs (code shown: it is a course) into one page per lesson, adds a
contents page per language listing the lessons with their reading time, and a
front page that leads to both languages. Every page links to its contents page,
to the previous and next lesson and to the same lesson in the other language.

The pages run no script: outputs are sanitised and each page carries the report's
Content-Security-Policy (:data:`leadkpi.report.CONTENT_SECURITY_POLICY`). The site
is written like a report (:mod:`leadkpi.report_files`): into a fresh hidden folder,
then switched into place in one step, so a reader never sees half a site.

Layout of ``out``: ``index.html``, ``en.html``, ``es.html`` and one
``<lang>_<notebook>.html`` per lesson, all in one folder, linked relatively.
"""

from __future__ import annotations

import copy
import html
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter
from nbconvert.preprocessors.sanitize import SanitizeHTML

from leadkpi import report_files
from leadkpi.exceptions import ArgumentError, OutputError
from leadkpi.present.i18n import LANGS, text
from leadkpi.report import (
    _SAFE_ATTRIBUTES,
    _SAFE_STYLES,
    _SAFE_TAGS,
    CONTENT_SECURITY_POLICY,
)
from leadkpi.resources import bundled

__all__ = [
    "Lesson",
    "lessons",
    "pages",
    "build",
    "WORDS_PER_MINUTE",
    "MINUTES_PER_EXERCISE",
]

#: Reading speed used for a lesson's reading time.
WORDS_PER_MINUTE = 200
#: Time given to each exercise on top of the reading.
MINUTES_PER_EXERCISE = 3
#: Name of the site's files in :mod:`leadkpi.report_files` (its hidden folders).
SITE = "course"

_CHECK = re.compile(r"""check\(\s*["'](\d+\.\d+)["']""")
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_WORD = re.compile(r"\w+")
_STYLE = """
nav.course { font-family: system-ui, sans-serif; font-size: 14px; padding: 8px 16px;
  border-bottom: 1px solid #ddd; display: flex; gap: 16px; flex-wrap: wrap; }
nav.course a { color: #1f5fa8; text-decoration: none; }
body.course-page { font-family: system-ui, sans-serif; max-width: 820px;
  margin: 0 auto; padding: 0 16px 32px; color: #222; line-height: 1.5; }
body.course-page li { margin: 8px 0; }
.minutes { color: #666; }
"""
_TEMPLATE = "leadkpi_course.html.j2"
_TEMPLATE_SOURCE = f"""{{%- extends 'index.html.j2' -%}}
{{%- block html_head -%}}
<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">
{{{{ super() }}}}
<style>{_STYLE}</style>
{{%- endblock html_head -%}}
{{%- block html_head_js -%}}{{%- endblock html_head_js -%}}
{{%- block html_head_js_mathjax -%}}{{%- endblock html_head_js_mathjax -%}}
{{%- block html_head_js_mermaidjs -%}}{{%- endblock html_head_js_mermaidjs -%}}
{{%- block body_header -%}}
{{{{ super() }}}}
{{{{ resources.course_nav }}}}
{{%- endblock body_header -%}}
{{%- block body_footer -%}}
{{{{ resources.course_nav }}}}
{{{{ super() }}}}
{{%- endblock body_footer -%}}
"""


@dataclass(frozen=True)
class Lesson:
    """One lesson notebook, as the site lists it.

    Attributes
    ----------
    lang : str
        ``"en"`` or ``"es"``.
    path : Path
        The notebook.
    title : str
        Its first top-level heading.
    words : int
        Words of its markdown and code cells (outputs not counted).
    exercises : tuple of str
        The exercise ids it checks, in order.
    """

    lang: str
    path: Path
    title: str
    words: int
    exercises: tuple[str, ...]

    @property
    def number(self) -> str:
        """The lesson's number, the notebook's prefix (``"04"``)."""
        return self.path.name.split("_", 1)[0]

    @property
    def page(self) -> str:
        """File name of the lesson's page."""
        return f"{self.lang}_{self.path.stem}.html"

    @property
    def minutes(self) -> int:
        """Reading time: words at :data:`WORDS_PER_MINUTE`, plus
        :data:`MINUTES_PER_EXERCISE` per exercise, rounded up."""
        reading = self.words / WORDS_PER_MINUTE
        return math.ceil(reading + MINUTES_PER_EXERCISE * len(self.exercises))


def _lesson(lang: str, path: Path) -> Lesson:
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError) as exc:
        raise ArgumentError(f"{path}: cannot read the lesson notebook: {exc}") from None
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    heading = _HEADING.search(markdown)
    if heading is None:
        raise ArgumentError(
            f"{path}: a lesson starts with a '# title' heading; found none"
        )
    return Lesson(
        lang=lang,
        path=path,
        title=heading.group(1),
        words=len(_WORD.findall(markdown)) + len(_WORD.findall(code)),
        exercises=tuple(_CHECK.findall(code)),
    )


def lessons(lang: str, folder: Path | None = None) -> tuple[Lesson, ...]:
    """The lessons of one language, in order.

    Parameters
    ----------
    lang : {"en", "es"}
    folder : Path, optional
        The course folder holding ``en/`` and ``es/``; default the course that
        ships with leadkpi.

    Examples
    --------
    >>> found = lessons("en")
    >>> found[0].number, found[0].page
    ('01', 'en_01_kpis_and_core_formulas.html')
    >>> found[0].minutes > 10
    True
    """
    if lang not in LANGS:
        raise ArgumentError(f"lang={lang!r}: expected one of {', '.join(LANGS)}")
    root = (bundled("notebooks") / "course") if folder is None else Path(folder)
    return tuple(_lesson(lang, p) for p in sorted((root / lang).glob("[0-9]*.ipynb")))


def _link(href: str, label: str, **attributes: str) -> str:
    extra = "".join(f' {k}="{html.escape(v)}"' for k, v in attributes.items())
    return f'<a href="{html.escape(href)}"{extra}>{html.escape(label)}</a>'


def _nav(lang: str, here: Lesson | None, order: tuple[Lesson, ...], twin: str) -> str:
    """Links to the contents, the previous and next lesson and the other language."""
    other = next(x for x in LANGS if x != lang)
    links = [_link(f"{lang}.html", text("course_site_contents", lang))]
    if here is not None:
        at = order.index(here)
        if at > 0:
            previous = order[at - 1]
            links.append(_link(previous.page, "← " + previous.title, rel="prev"))
        if at + 1 < len(order):
            following = order[at + 1]
            links.append(_link(following.page, following.title + " →", rel="next"))
    links.append(
        _link(twin, text("course_site_language", other), hreflang=other, lang=other)
    )
    return f'<nav class="course">{" · ".join(links)}</nav>'


def _lesson_page(lesson: Lesson, nav: str) -> str:
    """The lesson notebook as HTML: code and committed outputs, no script."""
    nb = copy.deepcopy(nbformat.read(lesson.path, as_version=4))
    nb.metadata["title"] = lesson.title
    exporter = HTMLExporter(
        template_name="lab",
        template_file=_TEMPLATE,
        extra_loaders=[DictLoader({_TEMPLATE: _TEMPLATE_SOURCE})],
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        language_code=lesson.lang,
    )
    exporter.register_preprocessor(
        SanitizeHTML(tags=_SAFE_TAGS, attributes=_SAFE_ATTRIBUTES, styles=_SAFE_STYLES),
        enabled=True,
    )
    resources = {"metadata": {"name": lesson.title}, "course_nav": nav}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def _plain_page(lang: str, title: str, body: str) -> str:
    """A page of the site's own (contents, front page): same policy, no script."""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" '
        f'content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f'<body class="course-page">\n{body}\n</body>\n</html>\n'
    )


def _contents_page(lang: str, order: tuple[Lesson, ...]) -> str:
    other = next(x for x in LANGS if x != lang)
    title = text("course_site_title", lang)
    items = "\n".join(
        f"<li>{_link(x.page, x.title)} "
        f'<span class="minutes">· '
        f"{html.escape(text('course_site_minutes', lang, minutes=x.minutes))}"
        "</span></li>"
        for x in order
    )
    nav = _link(
        f"{other}.html", text("course_site_language", other), hreflang=other,
        lang=other,
    )  # fmt: skip
    body = (
        f'<nav class="course">{nav}</nav>\n<h1>{html.escape(title)}</h1>\n'
        f"<p>{html.escape(text('course_site_intro', lang))}</p>\n<ol>\n{items}\n</ol>"
    )
    return _plain_page(lang, title, body)


def _front_page() -> str:
    items = "\n".join(
        f"<li>{_link(f'{lang}.html', text('course_site_title', lang), lang=lang)}"
        "</li>"
        for lang in LANGS
    )
    title = text("course_site_title", LANGS[0])
    return _plain_page(LANGS[0], title, f"<h1>leadkpi</h1>\n<ul>{items}</ul>")


def pages(folder: Path | None = None) -> dict[str, str]:
    """Every page of the site: file name → HTML.

    Raises
    ------
    ArgumentError
        A language has no lesson, the languages' lessons differ in number, or a
        notebook cannot be read or has no title.
    """
    by_lang = {lang: lessons(lang, folder) for lang in LANGS}
    numbers = {lang: [x.number for x in found] for lang, found in by_lang.items()}
    if not all(numbers.values()) or len({tuple(n) for n in numbers.values()}) > 1:
        shown = "; ".join(f"{k}: {', '.join(v) or 'none'}" for k, v in numbers.items())
        raise ArgumentError(
            f"the course needs the same lessons in every language; found {shown}"
        )
    out = {"index.html": _front_page()}
    for lang, order in by_lang.items():
        other = next(x for x in LANGS if x != lang)
        out[f"{lang}.html"] = _contents_page(lang, order)
        for lesson, twin in zip(order, by_lang[other], strict=True):
            nav = _nav(lang, lesson, order, twin.page)
            out[lesson.page] = _lesson_page(lesson, nav)
    return out


def build(out: str | os.PathLike[str], *, folder: Path | None = None) -> Path:
    """Render the course into the folder ``out``; return its front page.

    Parameters
    ----------
    out : path
        Folder of the site (created when missing). Pages are switched into place
        together: a reader sees the previous site or the new one, never a mix.
    folder : Path, optional
        The course folder holding ``en/`` and ``es/``; default the course that
        ships with leadkpi.

    Raises
    ------
    ArgumentError
        The lessons cannot be read (see :func:`pages`).
    OutputError
        ``out`` cannot be written, another build is writing it, or a page's name
        is taken by a folder.
    """
    out = Path(out)
    with report_files.locked(out):
        rendered = pages(folder)
        targets = {name: out / name for name in rendered}
        report_files.check_targets(targets.values())
        with report_files.staging(out, SITE) as stage:
            for name, page in rendered.items():
                report_files.write(stage / name, page.encode("utf-8"), out / name)
            # the front page last: where links cannot be made, files move in order
            last = dict(sorted(targets.items(), key=lambda kv: kv[0] == "index.html"))
            report_files.publish(stage, SITE, last)
        _remove_stale_links(out, set(rendered))
    return out / "index.html"


def _remove_stale_links(out: Path, keep: set[str]) -> None:
    """Drop the links of pages an earlier build had and this one does not."""
    prefix = f".{SITE}.current/"
    for path in out.glob("*.html"):
        if path.name in keep or not path.is_symlink():
            continue
        try:
            if os.readlink(path).startswith(prefix):
                path.unlink()
        except OSError as exc:
            raise OutputError(f"cannot remove the old page {path}: {exc}") from None
