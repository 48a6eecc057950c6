"""The dashboard notebook's one call: the dashboard, or what stops it opening, said plainly.

The coach's modules read every worksheet as they load, so a broken file of the coach's own (one being
written, or copied from a colleague) would end the notebook in a traceback. Here it names each problem
with its file and line instead, escaped, and the dashboard opens once the file is fixed or moved.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from coachkit.worksheet.loader import WorksheetFileError

TITLE = "Coach dashboard"


def open_dashboard(url: str | None = None) -> w.Widget:
    """The dashboard on the configured store (see ``coachkit.coach.dashboard.open_dashboard``)."""
    try:
        from coachkit.coach.dashboard import open_dashboard as dashboard_on
    except WorksheetFileError as error:
        return broken_files(error)
    return dashboard_on(url)


def broken_files(error: WorksheetFileError) -> w.HTML:
    """What the coach reads instead of the dashboard while a worksheet file is broken."""
    problems = "".join(f"<li>{escape(str(problem))}</li>" for problem in error.problems)
    return w.HTML(
        f"<h1>{TITLE}</h1><p>A worksheet file needs fixing before the dashboard opens:</p><ul>{problems}</ul>"
        "<p>Fix the file or move it out of the worksheet folder, then reload this page. "
        "<code>coachkit worksheet check</code> checks every file.</p>"
    )
