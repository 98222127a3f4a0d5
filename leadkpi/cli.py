"""The ``leadkpi`` command line: ``report``, ``validate`` and ``sample-data``.

User errors (a malformed month, a month without data, a missing file) end with exit
code 2 and one line saying what is wrong and what would be accepted; a report notebook
that fails ends with exit code 1 and names the failing cell. ``validate`` exits 0 when
every row loaded, 1 when rows were rejected and 2 when a file could not be read.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from leadkpi._version import __version__
from leadkpi.config import load_config
from leadkpi.exceptions import LeadKPIError, ReportError
from leadkpi.i18n import LANGS
from leadkpi.kpis.targets import check_targets
from leadkpi.periods import check_month, latest_complete_month, parse_month
from leadkpi.project import scan_created
from leadkpi.schemas import TABLES

__all__ = ["main", "REPORTS"]

#: Report name → notebook file under the project's ``notebooks/`` folder.
REPORTS = {"monthly": "monthly_report.ipynb"}

EXIT_USAGE = 2
EXIT_FAILED = 1


class _UsageError(LeadKPIError):
    """A command-line argument that cannot be used as given."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadkpi", description="B2B lead-generation KPIs and reports."
    )
    parser.add_argument("--version", action="version", version=f"leadkpi {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    report = commands.add_parser("report", help="render a report to HTML")
    report.add_argument("name", choices=sorted(REPORTS), help="which report")
    report.add_argument(
        "--month", help="YYYY-MM (default: the latest complete month with data)"
    )
    report.add_argument("--config", default="leadkpi.yaml", help="project config file")
    report.add_argument("--lang", default="en", choices=LANGS, help="report language")
    report.add_argument("--out", default="reports", help="folder for reports")
    report.add_argument(
        "--notebook", help="notebook to run (default: notebooks/<report> beside config)"
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
    sample.add_argument("--seed", type=int, default=None, help="random seed")
    sample.add_argument(
        "--format", choices=("csv", "parquet"), default="csv", help="file format"
    )
    return parser


def _notebook(args: argparse.Namespace, project: Path) -> Path:
    if args.notebook:
        path = Path(args.notebook)
    else:
        path = project / "notebooks" / REPORTS[args.name]
        if not path.is_file():
            path = Path("notebooks") / REPORTS[args.name]
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
    print(result.html)
    return 0


def _sample(args: argparse.Namespace) -> int:
    from leadkpi.datasets import write_sample

    options = {
        key: value
        for key, value in (("n_leads", args.leads), ("seed", args.seed))
        if value is not None
    }
    for path in write_sample(args.directory, format=args.format, **options):
        print(path)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from leadkpi.validate import validate

    return validate(args.targets, kind=args.kind, profile=args.profile, out=sys.stdout)


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
    pd.DataFrame(result).to_csv(sys.stdout, index=False)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "report":
            return _report(args)
        if args.command == "validate":
            return _validate(args)
        if args.command == "kpis":
            return _kpis(args)
        return _sample(args)
    except ReportError as exc:
        print(f"leadkpi: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except LeadKPIError as exc:
        print(f"leadkpi: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. piped into `head`: the reader has had enough
        sys.stdout = open(os.devnull, "w")  # nothing more is written
        return 0
    except KeyboardInterrupt:
        print("leadkpi: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
