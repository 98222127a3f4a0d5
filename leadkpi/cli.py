"""The ``leadkpi`` command line: ``init``, ``report``, ``validate``, ``kpis``,
``sample-data`` and ``course build``.

User errors (a malformed month, a month without data, a missing or unreadable file,
an output folder that cannot be written, a full disk) end with exit code 2 and one
line saying what is wrong and what would be accepted; a report notebook that fails
ends with exit code 1 and names the failing cell. ``validate`` exits 0 when every row
loaded, 1 when rows were rejected and 2 when a file could not be read. Anything else
is a bug in leadkpi: its traceback is shown with a request to report it (exit 3).
Control characters in what is printed (file names, values from exports) are shown
as escapes.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from leadkpi._version import __version__
from leadkpi.arguments import unknown
from leadkpi.config import load_config
from leadkpi.exceptions import LeadKPIError, ReportError
from leadkpi.export import write_csv
from leadkpi.kpis.targets import check_targets
from leadkpi.periods import check_month, latest_complete_month, parse_month
from leadkpi.present.i18n import LANGS, report_title
from leadkpi.project import scan_created
from leadkpi.resources import bundled
from leadkpi.schemas import TABLES
from leadkpi.terminal import PrintableStream, one_line, printable

__all__ = ["main", "REPORTS"]

#: Report name → notebook file: the project's ``notebooks/<file>`` when it has one,
#: else the one that ships with leadkpi.
REPORTS = {
    "monthly": "monthly_report.ipynb",
    "attribution": "attribution.ipynb",
    "experiment": "experiment.ipynb",
    "lead_scoring": "lead_scoring.ipynb",
    "campaign": "campaign_deep_dive.ipynb",
}

EXIT_USAGE = 2
EXIT_FAILED = 1
EXIT_BUG = 3


class _UsageError(LeadKPIError):
    """A command-line argument that cannot be used as given."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadkpi", description="B2B lead-generation KPIs and reports."
    )
    parser.add_argument("--version", action="version", version=f"leadkpi {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser(
        "init", help="start a project for your own exports in a folder"
    )
    init.add_argument("directory", help="the project folder (created when missing)")
    init.add_argument(
        "--sample",
        action="store_true",
        help="copy the sample company's exports in, to render a report at once",
    )

    report = commands.add_parser(
        "report",
        help="render a report (any notebook of the project) to HTML, or PDF",
        description="Render a notebook as a report: one of leadkpi's ("
        + ", ".join(sorted(REPORTS))
        + "), a notebook of the project's notebooks/ folder (by its name), or a "
        "notebook file. `leadkpi report NAME --help` lists NAME's parameters.",
        add_help=False,
    )
    report.add_argument(
        "name",
        nargs="?",
        help="the report: "
        + ", ".join(sorted(REPORTS))
        + ", a notebook's name or a .ipynb file",
    )
    report.add_argument(
        "-h",
        "--help",
        action="store_true",
        help="show this help (and NAME's parameters) and exit",
    )
    report.add_argument(
        "--month", help="YYYY-MM (default: the latest complete month with data)"
    )
    report.add_argument("--config", default="leadkpi.yaml", help="project config file")
    report.add_argument("--lang", default="en", choices=LANGS, help="report language")
    report.add_argument("--out", default="reports", help="folder for reports")
    report.add_argument(
        "--notebook",
        help="notebook to run (default: notebooks/<report> beside the config, "
        "else the one leadkpi ships)",
    )
    focus = report.add_mutually_exclusive_group()
    focus.add_argument("--campaign", help="campaign: the campaign looked at")
    focus.add_argument("--channel", help="campaign: the channel looked at instead")
    report.add_argument(
        "--start", help="campaign: first day, YYYY-MM-DD (or a month, YYYY-MM)"
    )
    report.add_argument(
        "--end", help="campaign: last day, YYYY-MM-DD (or a month, YYYY-MM)"
    )
    report.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a parameter of the notebook, typed as its default; repeat for several",
    )
    report.add_argument(
        "--pdf",
        action="store_true",
        help="also write the report as PDF (needs Chromium)",
    )
    report.add_argument("--quiet", action="store_true", help="no progress bar")
    report.set_defaults(report_parser=report)

    validate = commands.add_parser(
        "validate",
        help="read a project or export files; show what loaded, what not, and checks",
    )
    validate.add_argument(
        "targets",
        nargs="*",
        metavar="leadkpi.yaml | FILE",
        help="a project config (default leadkpi.yaml) or export files",
    )
    validate.add_argument(
        "--kind", choices=sorted(TABLES), help="table the files fill (default: name)"
    )
    validate.add_argument(
        "--profile",
        help="export layout of the files (default: recognised from their content)",
    )
    validate.add_argument(
        "--currency",
        help="files: currency the checks work in (default: the files' own)",
    )
    validate.add_argument(
        "--config",
        help="files: a leadkpi.yaml whose settings (rates, locale, stages) apply",
    )

    kpis = commands.add_parser(
        "kpis",
        help="list the KPI catalogue, or compute KPIs as a tidy CSV",
        description="Without KPI ids: the catalogue. With ids (or 'all'): the KPIs "
        "computed on the project's data, one row per grain and KPI, as CSV.",
    )
    kpis.add_argument("ids", nargs="*", help="KPI ids to compute, or 'all'")
    kpis.add_argument("--config", default="leadkpi.yaml", help="project config file")
    kpis.add_argument(
        "--by", default="month", help="grain, comma-separated (e.g. month,channel)"
    )
    kpis.add_argument("--mode", choices=("cohort", "period"), default="cohort")
    kpis.add_argument("--count-by", choices=("lead", "account"), default="lead")
    kpis.add_argument("--start", help="first period, e.g. 2026-01")
    kpis.add_argument("--end", help="last period, e.g. 2026-10")
    kpis.add_argument("--lang", default="en", choices=LANGS, help="catalogue language")

    sample = commands.add_parser(
        "sample-data", help="write the bundled sample company's exports"
    )
    sample.add_argument("directory", help="folder to write the CSV files into")
    sample.add_argument("--leads", type=int, default=None, help="number of leads")
    sample.add_argument(
        "--force",
        action="store_true",
        help="write into a folder that already holds files, replacing the sample's",
    )
    sample.add_argument("--seed", type=int, default=None, help="random seed")
    sample.add_argument(
        "--format", choices=("csv", "parquet"), default="csv", help="file format"
    )

    course = commands.add_parser("course", help="the self-checking course on the KPIs")
    course_commands = course.add_subparsers(dest="course_command", required=True)
    build = course_commands.add_parser(
        "build", help="render the course (both languages) as a static HTML site"
    )
    build.add_argument("--out", default="course-site", help="folder of the site")
    return parser


def _notebook(args: argparse.Namespace, project: Path) -> Path:
    """The notebook ``NAME`` (or ``--notebook``) stands for: a report of leadkpi,
    a notebook of the project's ``notebooks/`` folder, else one leadkpi ships, or
    a notebook file."""
    if args.notebook:
        path = Path(args.notebook)
        if not path.is_file():
            raise _UsageError(f"notebook {path} not found; pass --notebook PATH")
        return path.resolve()
    name = args.name
    if name.endswith(".ipynb") or os.sep in name or "/" in name:
        path = Path(name)
        if not path.is_file():
            raise _UsageError(f"notebook {path} not found")
        return path.resolve()
    file = REPORTS.get(name, f"{name}.ipynb")
    for folder in (project / "notebooks", bundled("notebooks")):
        if (folder / file).is_file():
            return (folder / file).resolve()
    known = sorted(
        {*REPORTS, *(p.stem for p in (project / "notebooks").glob("*.ipynb")),
         *(p.stem for p in bundled("notebooks").glob("*.ipynb"))}
    )  # fmt: skip
    raise unknown("report", name, known, what="a report or a notebook of the project")


def _report_name(args: argparse.Namespace, notebook: Path) -> str:
    """The report's name in titles and file names: the alias given, else the
    notebook's stem."""
    if args.name in REPORTS:
        return args.name
    stems = {Path(file).stem: alias for alias, file in REPORTS.items()}
    return stems.get(notebook.stem, notebook.stem)


#: Parameters the command's own options fill.
_OPTIONS = {
    "month": "--month",
    "config": "--config",
    "lang": "--lang",
    "campaign": "--campaign",
    "channel": "--channel",
    "start": "--start",
    "end": "--end",
}


def _report_help(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from leadkpi.notebook_params import describe, parameters

    parser.print_help()
    if args.name:
        notebook = _notebook(args, Path(args.config).resolve().parent)
        print(f"\nparameters of {printable(notebook.name)} (--param KEY=VALUE):")
        print(printable(describe(parameters(notebook)), keep_newlines=True))
    return 0


def _report(args: argparse.Namespace) -> int:
    from leadkpi.notebook_params import parameters, parse_params
    from leadkpi.report import render  # imported late: papermill is slow to import

    if not args.name and not args.notebook:
        raise _UsageError(
            "which report? e.g. `leadkpi report monthly`; the reports are "
            + ", ".join(sorted(REPORTS))
            + ", or any notebook of the project's notebooks/ folder"
        )
    if args.month:
        parse_month(args.month)  # a malformed month fails before any file is read
    config = load_config(args.config)
    notebook = _notebook(args, config.path.parent)
    declared = parameters(notebook)
    taken = [key for key in _OPTIONS if any(
        item.partition("=")[0].strip() == key for item in args.param
    )]  # fmt: skip
    if taken:
        raise _UsageError(f"--param {taken[0]}=...: pass {_OPTIONS[taken[0]]} instead")
    extra = parse_params(args.param, declared, notebook=notebook.name)
    given = {
        key: getattr(args, key)
        for key in ("campaign", "channel", "start", "end")
        if getattr(args, key)
    }
    for key in given:
        if key not in declared:
            raise _UsageError(
                f"{_OPTIONS[key]}: {notebook.name} has no {key} parameter "
                f"(its parameters: {', '.join(declared) or 'none'})"
            )
    check_targets(config.targets)  # a misspelt KPI id stops here, not in a cell
    created = scan_created(config)
    if args.month:
        month = check_month(args.month, created)
    else:
        month = latest_complete_month(created)
    if "start" in given or "end" in given:  # a date range: checked, named by its end
        from leadkpi.deep_dive import date_range

        first, last = date_range(given.get("start", ""), given.get("end", ""), created)
        given.update(start=first, end=last)
        month = pd.Period(last[:7], freq="M")
    if {"campaign", "channel"} & set(given):  # an unknown name stops before the run
        from leadkpi.deep_dive import focus as check_focus
        from leadkpi.project import load

        chosen_name = {"campaign": given["campaign"]} if "campaign" in given else {
            "channel": given["channel"]
        }
        check_focus(load(config.path), **chosen_name)
    report = _report_name(args, notebook)
    out = Path(args.out) / str(month)
    stem = Path(REPORTS[report]).stem if report in REPORTS else notebook.stem
    focus = given.get("campaign") or given.get("channel")
    if focus:  # one file per campaign: another campaign's report stays
        stem += "." + re.sub(r"[^\w.-]+", "_", focus).strip("._")
    name = stem + ("" if args.lang == "en" else f".{args.lang}")
    print(
        f"leadkpi: rendering the {report} report for {month} ({args.lang}) "
        f"from {config.path}",
        file=sys.stderr,
    )
    # the kernel runs in the config's folder: the config by its name there, so
    # that no absolute path of this machine reaches the report
    values = {"month": str(month), "config": config.path.name, "lang": args.lang}
    chosen = {k: v for k, v in values.items() if k in declared or not declared}
    chosen.update(given)
    if "channel" in given and "campaign" in declared:  # the channel, not a default
        chosen["campaign"] = ""
    result = render(
        notebook,
        {**chosen, **extra},
        out,
        name=name,
        progress=not args.quiet,
        cwd=config.path.parent,
        title=report_title(report, month, args.lang),
        pdf=args.pdf,
    )
    timings = ", ".join(
        f"{k.removesuffix('_s')} {v:.1f} s" for k, v in result.timings.items()
    )
    print(f"leadkpi: done ({timings})", file=sys.stderr)
    if result.pdf is not None:
        print(printable(result.pdf))
    print(printable(result.html))
    return 0


def _init(args: argparse.Namespace) -> int:
    from leadkpi.scaffold import init_project

    created = init_project(args.directory, sample=args.sample)
    root = Path(args.directory)
    for path in created:
        print(path)
    steps = [
        f"cd {shlex.quote(str(root))}",
        "leadkpi validate           # what loaded from exports/, and what not",
        "leadkpi report monthly     # the latest complete month, into reports/",
    ]
    if not args.sample:
        steps.insert(1, "# copy your exports into exports/<table>/, then:")
    print("\nNext:\n  " + "\n  ".join(steps), file=sys.stderr)
    return 0


def _sample(args: argparse.Namespace) -> int:
    from leadkpi.datasets import write_sample

    options = {
        key: value
        for key, value in (("n_leads", args.leads), ("seed", args.seed))
        if value is not None
    }
    written = write_sample(
        args.directory, format=args.format, force=args.force, **options
    )
    for path in written:
        print(printable(path))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from leadkpi.validate import validate

    return validate(
        args.targets,
        kind=args.kind,
        profile=args.profile,
        currency=args.currency,
        config=args.config,
        out=PrintableStream(sys.stdout),
    )


def _kpis(args: argparse.Namespace) -> int:
    from leadkpi.kpis import compute
    from leadkpi.present.catalogue import catalogue
    from leadkpi.project import load

    if not args.ids:
        table = catalogue(args.lang)[["id", "unit", "better", "name", "definition"]]
        print(table.to_string(index=False))
        return 0
    data = load(args.config)
    result = compute(
        data,
        None if args.ids == ["all"] else args.ids,
        by=tuple(b.strip() for b in args.by.split(",") if b.strip()),
        mode=args.mode,
        count_by=args.count_by,
        start=args.start,
        end=args.end,
    )
    write_csv(pd.DataFrame(result), sys.stdout)
    return 0


def _course(args: argparse.Namespace) -> int:
    from leadkpi.course.site import build

    print(printable(build(args.out)))
    return 0


def _os_error(exc: OSError) -> str:
    """``Permission denied: reports/2026-10`` rather than ``[Errno 13] …``."""
    what = exc.strerror or type(exc).__name__
    if exc.filename is not None:
        return f"{what}: {exc.filename}"
    return what


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    commands = {
        "init": _init,
        "report": _report,
        "validate": _validate,
        "kpis": _kpis,
        "sample-data": _sample,
        "course": _course,
    }
    try:
        if args.command == "report" and args.help:
            return _report_help(args, args.report_parser)
        return commands[args.command](args)
    except ReportError as exc:
        print(f"leadkpi: error: {one_line(exc)}", file=sys.stderr)
        return EXIT_FAILED
    except LeadKPIError as exc:
        # a config with several problems lists them one per line; anything else is
        # one line
        several = len(getattr(exc, "problems", ())) > 1
        text = printable(exc, keep_newlines=True) if several else one_line(exc)
        print(f"leadkpi: error: {text}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. piped into `head`: the reader has had enough
        sys.stdout = open(os.devnull, "w")  # nothing more is written
        return 0
    except OSError as exc:  # a file or folder the user named: missing, locked, full
        print(f"leadkpi: error: {one_line(_os_error(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("leadkpi: interrupted", file=sys.stderr)
        return 130
    except Exception:
        traceback.print_exc()
        print(
            "leadkpi: this is a bug in leadkpi, not a mistake of yours; please "
            "report it to the leadkpi developers with the command you ran and the "
            "traceback above",
            file=sys.stderr,
        )
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
