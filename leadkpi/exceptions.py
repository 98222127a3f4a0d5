"""The leadkpi exception hierarchy.

Every error that leadkpi raises on purpose derives from :class:`LeadKPIError`, so a
caller can catch the toolkit's errors without catching programming mistakes.
"""

from __future__ import annotations

__all__ = [
    "LeadKPIError",
    "ConfigError",
    "DataFileError",
    "PeriodError",
    "OutputError",
    "ReportError",
    "LeadKPIWarning",
]


class LeadKPIError(Exception):
    """Base class of every error leadkpi raises on purpose."""


class ArgumentError(LeadKPIError, ValueError):
    """An argument that cannot be used as given (an unknown KPI, mode or grain).

    Also a :class:`ValueError`, as Python code expects of a bad argument value.
    """


class ConfigError(LeadKPIError):
    """The configuration file is missing, unreadable or inconsistent.

    Parameters
    ----------
    message : str
        Every problem, one line each, naming the file, line and key.
    problems : tuple of (int or None, tuple, str)
        The same problems as data: line, key path and what is wrong.
    """

    def __init__(self, message: str, *, problems: tuple = ()) -> None:
        self.problems = problems
        super().__init__(message)


class DataFileError(LeadKPIError):
    """An input file cannot be understood.

    Parameters
    ----------
    path : str
        The file that could not be read.
    problem : str
        What was found and what was expected.
    line : int, optional
        1-based line number in the file, when the problem is on one line.
    column : str, optional
        The column concerned, when there is one.
    """

    def __init__(
        self,
        path: str,
        problem: str,
        *,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        self.column = column
        where = self.path
        if line is not None:
            where += f" line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {problem}")


class PeriodError(LeadKPIError):
    """A requested period is malformed or has no data."""


class OutputError(LeadKPIError):
    """Files cannot be written where asked: a file where a folder should be, a
    folder that is not empty, no permission, a full disk, a report being rendered
    by another process."""


class ReportError(LeadKPIError):
    """A report notebook failed while running.

    Parameters
    ----------
    message : str
        What went wrong.
    cell : int, optional
        Index of the failing cell in the notebook (0-based, as papermill counts).
    error : str, optional
        The error name and value raised inside the notebook.
    kept_notebook : str, optional
        Path of the executed notebook kept for debugging.
    """

    def __init__(
        self,
        message: str,
        *,
        cell: int | None = None,
        error: str | None = None,
        kept_notebook: str | None = None,
    ) -> None:
        self.cell = cell
        self.error = error
        self.kept_notebook = kept_notebook
        super().__init__(message)


class LeadKPIWarning(UserWarning):
    """Something leadkpi decided on the user's behalf while reading data.

    Raised through :mod:`warnings` (for example when a column's dates could be
    day/month or month/day and the locale decided); loaders also keep the messages
    in :attr:`leadkpi.LoadResult.warnings`.
    """
