"""Writing a report folder so that a killed run never leaves a report posing as complete."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def publish(stage: Path, out_dir: Path, last: str) -> None:
    """Move a finished staging folder into place: renamed whole when out_dir is new; else the old `last`
    file is removed first, the other files replaced, and `last` moved in at the very end."""
    if not out_dir.exists():
        os.replace(stage, out_dir)
        return
    (out_dir / last).unlink(missing_ok=True)
    for item in sorted(stage.iterdir()):
        if item.name != last:
            os.replace(item, out_dir / item.name)
    os.replace(stage / last, out_dir / last)


@contextmanager
def staged(out_dir: Path, last: str) -> Iterator[Path]:
    """A temporary folder beside out_dir to write into, published only if the block completes."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".partial", dir=out_dir.parent))
    os.chmod(stage, 0o777 & ~_umask())
    try:
        yield stage
        publish(stage, out_dir, last)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
