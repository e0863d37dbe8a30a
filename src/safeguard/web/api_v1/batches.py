"""POST /batches (a manifest upload, optional map): 202 with a Location; GET it for status and progress;
GET its /output and /report when done. The work is app/jobs.py's, in the worker."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from ninja import File, Form, Router, Status, UploadedFile

from safeguard.batch.io import FORMATS
from safeguard.batch.mapping import MapError, load_map
from safeguard.facts.parse import InputError, coerce
from safeguard.facts.schema import fact_specs
from safeguard.web.api_v1.auth import member_of_organisation
from safeguard.web.api_v1.problems import Problem, problem
from safeguard.web.api_v1.schemas import BatchOut
from safeguard.web.app import audit, jobs
from safeguard.web.app.access import membership
from safeguard.web.app.models import BatchJob, Role

router = Router(tags=["batches"])
MEDIA = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet", "jsonl": "application/jsonl"}


def max_bytes() -> int:
    return int(getattr(settings, "SAFEGUARD_BATCH_MAX_BYTES", 1 << 30))


def job_for(user, job_id: int) -> BatchJob:
    """A job its owner may see, and an attorney or admin of its organisation; else 404 (as cases)."""
    m = membership(user)
    jobs_seen = BatchJob.objects.none() if m is None else BatchJob.objects.filter(organisation=m.organisation)
    if m is not None and m.role == Role.SCREENER:
        jobs_seen = jobs_seen.filter(owner=user)
    job = jobs_seen.filter(id=job_id).first()
    if job is None:
        raise Http404("no such batch")
    return job


def status_of(request, job: BatchJob) -> dict:
    base = request.build_absolute_uri(f"/api/v1/batches/{job.id}")
    done = job.status == BatchJob.Status.DONE
    return {"id": job.id, "status": job.status, "input_name": job.input_name, "created_at": job.created_at,
            "finished_at": job.finished_at, "attempts": job.attempts, "rows_total": job.rows_total,
            "rows_done": job.rows_done,
            "progress": min(job.rows_done / job.rows_total, 1.0) if job.rows_total else (1.0 if done else None),
            "error": job.error or None, "summary": job.summary,
            "output_url": f"{base}/output" if done else None, "report_url": f"{base}/report" if done else None}


def _save(upload: UploadedFile, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with path.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)


@router.post("", response={202: BatchOut, 400: Problem, 401: Problem, 403: Problem, 413: Problem, 415: Problem, 422: Problem},
             summary="Screen a manifest (CSV, Parquet or JSONL) in the background",
             description="202 Accepted with a Location to poll; the screened file keeps the manifest's format.")
def create(request, response: HttpResponse, manifest: File[UploadedFile], map: File[UploadedFile | None] = None,
           as_of: Form[str | None] = None):
    m = member_of_organisation(request.auth)
    name = Path(manifest.name or "").name[:200] or "manifest"
    ext = Path(name).suffix.lower()
    if ext not in FORMATS:
        return problem(request, 415, "unsupported-manifest",
                       f"{name}: file type {ext or '(none)'!r} is not a manifest; expected one of {', '.join(FORMATS)}")
    if manifest.size > max_bytes():
        return problem(request, 413, "upload-too-large", f"{name}: {manifest.size:,} bytes; at most {max_bytes():,}")
    day = None
    if as_of:
        try:
            day = coerce(fact_specs()["as_of"], as_of, text=True)
        except InputError as e:
            return problem(request, 422, "invalid-fact", str(e), errors=[
                {"pointer": "as_of", "fact": "as_of", "value": as_of[:200], "expected": e.expected}])
    job = BatchJob.objects.create(organisation=m.organisation, owner=request.auth, input_name=name,
                                  output_format=ext[1:], as_of=day)
    shutil.rmtree(jobs.folder(job), ignore_errors=True)  # a number SQLite gave out again: nothing of the last
    _save(manifest, jobs.input_path(job))
    if map is not None:
        _save(map, jobs.map_path(job))
        try:
            load_map(jobs.map_path(job))
        except MapError as e:
            message = jobs.client_words(job, str(e))
            shutil.rmtree(jobs.folder(job), ignore_errors=True)
            job.delete()
            return problem(request, 422, "invalid-map", message)
    audit.record(request.auth, "batch.create", None, {"batch": job.id, "format": job.output_format})
    jobs.enqueue(job)
    job.refresh_from_db()
    response["Location"] = f"/api/v1/batches/{job.id}"
    return Status(202, status_of(request, job))


@router.get("/{job_id}", response={200: BatchOut, 401: Problem, 404: Problem}, summary="A batch's status and progress")
def status(request, job_id: int):
    return status_of(request, job_for(request.auth, job_id))


def _download(request, job_id: int, what: str):
    job = job_for(request.auth, job_id)
    path = jobs.output_path(job) if what == "output" else jobs.report_zip(job)
    if job.status != BatchJob.Status.DONE or not path.exists():
        return problem(request, 409, "batch-not-done", f"batch {job.id} is {job.status}; its {what} is there only "
                       "when it is done")
    audit.record(request.auth, f"batch.{what}", None, {"batch": job.id})
    stem = Path(job.input_name).stem
    filename = f"{stem}-screened.{job.output_format}" if what == "output" else f"{stem}-report.zip"
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename,
                        content_type=MEDIA[job.output_format] if what == "output" else "application/zip")


ERRORS = {401: Problem, 404: Problem, 409: Problem}


def _file(*media: str) -> dict:
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {200: {"description": "the file", "content": {m: binary for m in media}}}}


@router.get("/{job_id}/output", response=ERRORS, openapi_extra=_file(*MEDIA.values()),
            summary="The screened file, in the manifest's format (when done)")
def output(request, job_id: int):
    return _download(request, job_id, "output")


@router.get("/{job_id}/report", response=ERRORS, openapi_extra=_file("application/zip"),
            summary="The reviewer's report, zipped (when done)")
def report(request, job_id: int):
    return _download(request, job_id, "report")


@router.delete("/{job_id}", response={204: None, 401: Problem, 404: Problem, 409: Problem},
               summary="Delete a finished batch and its files (the upload, the screened file, the report)")
def delete(request, job_id: int):
    job = job_for(request.auth, job_id)
    if job.status in (BatchJob.Status.QUEUED, BatchJob.Status.RUNNING):
        return problem(request, 409, "batch-not-finished", f"batch {job.id} is {job.status}; delete it when it is "
                       "done or failed")
    audit.record(request.auth, "batch.delete", None, {"batch": job.id})
    jobs.delete(job)
    return Status(204, None)
