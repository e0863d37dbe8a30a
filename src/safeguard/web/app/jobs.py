"""The API's batch jobs, run by the django-q2 worker (`safeguard worker`; the database is the queue).

A job screens its uploaded manifest with the same run as `safeguard batch IN OUT --report DIR`. The
screened file is written under a temporary name and renamed when complete (batch/io.ManifestWriter); the
report is zipped to a temporary name and renamed; only then is the job marked done. A worker killed
mid-run leaves the job `running`: the queue hands the task out again after its lease (Q_CLUSTER retry)
and the run starts over from the manifest; after MAX_ATTEMPTS starts the job is `failed`."""

from __future__ import annotations

import io
import logging
import os
import shutil
import zipfile
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from rich.console import Console

from safeguard.web.app.models import BatchJob

MAX_ATTEMPTS = 3
SERVER_PATHS = ("input", "output", "report", "explanations")  # kept out of the summary a client sees
log = logging.getLogger(__name__)


def folder(job: BatchJob) -> Path:
    return Path(settings.DATA_DIR) / "batches" / str(job.id)


def input_path(job: BatchJob) -> Path:
    return folder(job) / f"manifest.{job.output_format}"


def map_path(job: BatchJob) -> Path:
    return folder(job) / "map.yaml"


def output_path(job: BatchJob) -> Path:
    return folder(job) / f"screened.{job.output_format}"


def report_zip(job: BatchJob) -> Path:
    return folder(job) / "report.zip"


def enqueue(job: BatchJob) -> None:
    from django_q.tasks import async_task

    async_task("safeguard.web.app.jobs.run", job.id, task_name=f"batch-{job.id}",
               sync=bool(getattr(settings, "SAFEGUARD_BATCH_INLINE", False)))


def _set(job_id: int, **fields) -> None:
    BatchJob.objects.filter(id=job_id).update(**fields)


def _fail(job: BatchJob, error: str) -> str:
    """Mark the job failed with the client's reason, removing whatever output it had begun."""
    _clear_outputs(job)
    _set(job.id, status=BatchJob.Status.FAILED, finished_at=timezone.now(), error=error[:2000])
    return BatchJob.Status.FAILED


def _clear_outputs(job: BatchJob) -> None:
    """A new start removes what an earlier, unfinished start left (the partial files are ManifestWriter's)."""
    output_path(job).unlink(missing_ok=True)
    report_zip(job).unlink(missing_ok=True)
    shutil.rmtree(folder(job) / "report", ignore_errors=True)


def _zip_report(src: Path, dst: Path) -> None:
    tmp = dst.with_name(f".{dst.name}.partial")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for path in sorted(src.rglob("*")):
            if path.is_file():
                z.write(path, path.relative_to(src).as_posix())
    os.replace(tmp, dst)


def client_words(job: BatchJob, message: str) -> str:
    """A message as the client can read it: the uploaded files' names, not the server's paths."""
    return (message.replace(str(input_path(job)), job.input_name).replace(str(map_path(job)), "the map")
            .replace(str(folder(job)) + os.sep, ""))


def delete(job: BatchJob) -> None:
    """A finished job's files and row (its audit entries stay)."""
    shutil.rmtree(folder(job), ignore_errors=True)
    job.delete()


def purge_expired(now=None) -> int:
    """Delete the jobs finished more than SAFEGUARD_BATCH_RETENTION_DAYS ago, with their files (the uploads
    and outputs are client data, kept unencrypted in the data folder only as long as that)."""
    from datetime import timedelta

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SAFEGUARD_BATCH_RETENTION_DAYS)
    n = 0
    for job in BatchJob.objects.filter(finished_at__lt=cutoff):
        delete(job)
        n += 1
    return n


def recover_stalled(grace_seconds: int | None = None) -> list[int]:
    """Hand out again at once the jobs a stopped worker had taken (their lease would hold them until the
    queue's retry time): a job running with no progress for `grace_seconds` (SAFEGUARD_BATCH_STALL_SECONDS),
    or taken that long ago and not started. Returns their ids. The worker calls it when it starts."""
    from datetime import timedelta

    from django_q.conf import Conf
    from django_q.models import OrmQ

    now = timezone.now()
    grace = settings.SAFEGUARD_BATCH_STALL_SECONDS if grace_seconds is None else grace_seconds
    stale = now - timedelta(seconds=grace)
    recovered = []
    for entry in OrmQ.objects.filter(key=Conf.CLUSTER_NAME, lock__gt=now):
        task = entry.task
        if task.get("func") != "safeguard.web.app.jobs.run" or not task.get("args"):
            continue
        job = BatchJob.objects.filter(id=task["args"][0]).first()
        if job is None:
            continue
        taken_at = entry.lock - timedelta(seconds=Conf.RETRY)
        if (job.status == BatchJob.Status.RUNNING and (job.heartbeat_at is None or job.heartbeat_at < stale)) or \
                (job.status == BatchJob.Status.QUEUED and taken_at < stale):
            OrmQ.objects.filter(id=entry.id, lock=entry.lock).update(lock=now)
            recovered.append(job.id)
    return recovered


def run(job_id: int) -> str:
    """The worker's task: screen one job's manifest. Returns the job's final status."""
    from safeguard.batch.cli_batch import run_batch
    from safeguard.batch.mapping import MapError
    from safeguard.cli import BadInput

    job = BatchJob.objects.filter(id=job_id).first()
    if job is None or job.status in (BatchJob.Status.DONE, BatchJob.Status.FAILED):
        return job.status if job else "gone"  # handed out again after it finished: nothing to do
    attempt = job.attempts + 1
    if attempt > MAX_ATTEMPTS:
        return _fail(job, f"the worker stopped before finishing {job.attempts} times; no output was kept")
    _set(job.id, status=BatchJob.Status.RUNNING, attempts=attempt, heartbeat_at=timezone.now(), rows_done=0, error="")
    _clear_outputs(job)

    def progress(done: int, total: int | None) -> None:
        _set(job.id, rows_done=done, rows_total=total, heartbeat_at=timezone.now())

    quiet = Console(file=io.StringIO(), width=100)
    try:
        summary = run_batch(input_path(job), output_path(job), job.as_of or date.today(), None, quiet,
                            map_file=map_path(job) if map_path(job).exists() else None,
                            report_dir=folder(job) / "report", on_progress=progress,
                            chunk_rows=settings.SAFEGUARD_BATCH_CHUNK_ROWS)
        _zip_report(folder(job) / "report", report_zip(job))
    except (BadInput, MapError, ValueError) as e:
        return _fail(job, client_words(job, str(e)))
    except SystemExit:  # SIGTERM inside the run (batch/cli_batch): the partial output is already gone
        _fail(job, "the worker was stopped (SIGTERM) before the job finished; no output was kept")
        raise
    except Exception as e:
        log.exception("batch job %s", job.id)
        return _fail(job, f"internal error: {type(e).__name__}")
    kept = {k: v for k, v in summary.items() if k not in SERVER_PATHS}
    _set(job.id, status=BatchJob.Status.DONE, finished_at=timezone.now(), summary=kept,
         rows_done=summary["rows_out"], rows_total=summary["rows_in"], heartbeat_at=timezone.now())
    return BatchJob.Status.DONE
