"""Where a run writes: no output may be an input or another output, and an output's leftovers are
cleaned.

`check_outputs` is called before anything is read: the screened output, `--explain-flagged` and the
`--report` folder (cleared by a new run) must not name an input (the manifest, the map) or each
other, nor lie inside the report folder, whatever path spelling, symbolic or hard link is used.

`OutputLock` is held by whatever writes an output through a hidden `.NAME.XXXXXXXX.partial` file: a
lock file `.NAME.lock` beside it, locked (flock) and holding the owner's pid. A second run writing
the same output is refused, naming that pid; and since every live writer holds the lock, a partial
file of that output found by the run that gets the lock was left by a run that was killed: it is
removed (and listed, for the command to say so). The lock is released by the kernel when its owner
dies, so a kill never leaves it held.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
from pathlib import Path


class OutputPathError(ValueError):
    """Two of a run's paths are the same file, or an output would overwrite an input."""


def _same(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    return folder.resolve() in path.resolve().parents


def check_outputs(inputs: dict[str, Path | None], outputs: dict[str, Path | None],
                  folders: dict[str, Path | None] | None = None) -> None:
    """Refuse a run whose outputs would overwrite an input or each other. `inputs` and `outputs` map
    an option's name (for the message) to a file; `folders` to an output folder (`--report`), which
    must not be or contain any of the files."""
    ins = {k: Path(v) for k, v in inputs.items() if v is not None}
    outs = {k: Path(v) for k, v in outputs.items() if v is not None}
    dirs = {k: Path(v) for k, v in (folders or {}).items() if v is not None}
    for out_name, out in outs.items():
        for in_name, source in ins.items():
            if _same(out, source):
                raise OutputPathError(f"{out_name} {out} is the same file as {in_name} {source}: it would be "
                                      "overwritten; choose another file")
        if out.exists() and out.is_dir():
            raise OutputPathError(f"{out_name} {out} is a folder; expected a file name")
    names = list(outs)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if _same(outs[a], outs[b]):
                raise OutputPathError(f"{a} and {b} are the same file ({outs[a]}): one would overwrite the other")
    for dir_name, folder in dirs.items():
        for name, path in {**ins, **outs}.items():
            if _same(path, folder) or _inside(path, folder):
                raise OutputPathError(f"{name} {path} is inside {dir_name} {folder}, which a run clears and "
                                      "rewrites; choose a file outside it")
            if _inside(folder, path):
                raise OutputPathError(f"{dir_name} {folder} is inside {name} {path}")


# ---- the lock, and stale partial files ----------------------------------------------------------

def _partial_pattern(path: Path) -> re.Pattern:
    # tempfile.mkstemp(prefix=".NAME.", suffix=".partial"): eight characters between
    return re.compile(rf"^\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.partial$")


class OutputLock:
    """The lock on one output (see the module's docstring); `OutputPathError` if another run holds it."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.file = self.path.parent / f".{self.path.name}.lock"
        self.fd: int | None = None
        for _ in range(20):
            fd = os.open(self.file, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                owner = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
                os.close(fd)
                if e.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise OutputPathError(f"{self.path}: another run (pid {owner}) is writing this output now; "
                                          "wait for it to finish or choose another file") from None
                raise
            try:
                same = os.fstat(fd).st_ino == os.stat(self.file).st_ino
            except FileNotFoundError:
                same = False
            if same:  # not a lock file its last owner removed after we opened it
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                self.fd = fd
                return
            os.close(fd)
        raise OutputPathError(f"{self.path}: could not take the output's lock {self.file}")

    def remove_stale(self) -> list[Path]:
        """Remove the partial files of this output left by killed runs (no live run owns them)."""
        pattern = _partial_pattern(self.path)
        removed = []
        for entry in self.path.parent.iterdir():
            if pattern.match(entry.name):
                entry.unlink(missing_ok=True)
                removed.append(entry)
        return removed

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            self.file.unlink(missing_ok=True)
        finally:
            os.close(self.fd)
            self.fd = None


def stale_note(removed: list[Path]) -> str | None:
    """What to tell the user about removed leftovers (None when there were none)."""
    if not removed:
        return None
    return (f"removed {len(removed)} partial file{'s' * (len(removed) != 1)} left by an interrupted run "
            f"beside {removed[0].parent}/ ({', '.join(p.name for p in removed[:3])}{' ...' if len(removed) > 3 else ''})")
