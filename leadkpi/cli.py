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
import shlex
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from leadkpi._version import __version__
from leadkpi.config import load_config
from leadkpi.exceptions import LeadKPIError, ReportError
from leadkpi.export import write_csv
from leadkpi.i18n import LANGS
from leadkpi.kpis.targets import check_targets
from leadkpi.periods import check_month, latest_complete_month, parse_month
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

    report = commands.add_parser("report", help="render a report to HTML")
    report.add_argument("name", choices=sorted(REPORTS), help="which report")
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
    report.add_argument("--quiet", action="store_true", help="no progress bar")

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
    if args.notebook:
        path = Path(args.notebook)
    else:
        path = project / "notebooks" / REPORTS[args.name]
        if not path.is_file():
            path = bundled("notebooks") / REPORTS[args.name]
    if not path.is_file():
        raise _UsageError(f"notebook {path} not found; pass --notebook PATH")
    return path.resolve()


def _report(args: argparse.Namespace) -> int:
    from leadkpi.report import render  # imported late: papermill is slow to import

    if args.month:
        parse_month(args.month)  # a malformed month fails before any file is read
    config = load_config(args.config)
    check_targets(config.targets)  # a misspelt KPI id stops here, not in a cell
    created = scan_created(config)
    if args.month:
        month = check_month(args.month, created)
    else:
        month = latest_complete_month(created)
    notebook = _notebook(args, config.path.parent)
    out = Path(args.out) / str(month)
    name = Path(REPORTS[args.name]).stem + (
        "" if args.lang == "en" else f".{args.lang}"
    )
    print(
        f"leadkpi: rendering the {args.name} report for {month} ({args.lang}) "
        f"from {config.path}",
        file=sys.stderr,
    )
    result = render(
        notebook,
        {"month": str(month), "config": str(config.path), "lang": args.lang},
        out,
        name=name,
        progress=not args.quiet,
        cwd=config.path.parent,
    )
    timings = ", ".join(
        f"{k.removesuffix('_s')} {v:.1f} s" for k, v in result.timings.items()
    )
    print(f"leadkpi: done ({timings})", file=sys.stderr)
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
    from leadkpi.kpis import catalogue, compute
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
