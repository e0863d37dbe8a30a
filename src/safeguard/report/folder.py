"""Writing a report folder so that a killed run never leaves a report posing as complete, and a new run
never leaves the previous run's report beside its new output.

A report is built in a hidden staging folder beside its target and swapped in by rename: the old folder
is renamed away, the staging folder renamed into its place, and the old one deleted. `clear_report`
takes a previous report away before a new run starts, so an interrupted run leaves no report at all
rather than the last run's. A folder holding anything but a safeguard report is never emptied.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPORT_MARKERS = ("report.html", "figures.json")
REPORT_SUFFIXES = (".html", ".json", ".csv", ".xlsx", ".png")


class ReportFolderError(ValueError):
    """The report folder exists but is not a safeguard report (or not a folder)."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _away(out_dir: Path) -> None:
    """Rename a folder out of the way (one rename), then delete it."""
    trash = out_dir.with_name(f".{out_dir.name}.{uuid.uuid4().hex[:8]}.old")
    os.replace(out_dir, trash)
    shutil.rmtree(trash, ignore_errors=True)


def _report_file(path: Path) -> bool:
    """A file a report writes (its pages, figures, tables and charts), or its charts/ folder."""
    if path.is_dir():
        return path.name == "charts"
    return path.suffix.lower() in REPORT_SUFFIXES or path.name.startswith(".")


def clear_report(out_dir: Path) -> bool:
    """Remove a previous report folder before a new run writes one; True if one was removed."""
    out_dir = Path(out_dir)
    if not out_dir.exists():
        return False
    if not out_dir.is_dir():
        raise ReportFolderError(f"{out_dir}: exists and is not a folder; expected a folder for the report")
    names = sorted(p.name for p in out_dir.iterdir())
    if not names:
        return False
    foreign = [n for n in names if not _report_file(out_dir / n)]
    if foreign or not any(m in names for m in REPORT_MARKERS):
        shown = ", ".join((foreign or names)[:5])
        raise ReportFolderError(f"{out_dir}: holds files that are not part of a safeguard report ({shown}); a new "
                                "report replaces the whole folder, so choose a new or empty folder for it")
    _away(out_dir)
    return True


def publish(stage: Path, out_dir: Path, last: str | None = None) -> None:  # noqa: ARG001 - kept for callers
    """Move a finished staging folder into place: the previous folder renamed away, the new one renamed
    in, the old one deleted. A reader finds the old report or the new one, never a mixture."""
    if out_dir.exists():
        clear_report(out_dir)
    os.replace(stage, out_dir)


@contextmanager
def staged(out_dir: Path, last: str | None = None) -> Iterator[Path]:
    """A temporary folder beside out_dir to write into, published only if the block completes."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportFolderError(f"{out_dir}: exists and is not a folder; expected a folder for the report")
    stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".partial", dir=out_dir.parent))
    os.chmod(stage, 0o777 & ~_umask())
    try:
        yield stage
        publish(stage, out_dir, last)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
