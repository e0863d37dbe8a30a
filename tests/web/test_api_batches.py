"""Batch jobs over the API, the worker's task run inline (SAFEGUARD_BATCH_INLINE: django-q2's sync mode):
upload, poll, download; rows in = rows out; the job's errors in the client's words; who may see a job."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import polars as pl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from tests.web.api_support import ApiClient, member, token_for

from safeguard.web.app import jobs
from safeguard.web.app.models import BatchJob, Role

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PROBLEM = "application/problem+json"


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@override_settings(SAFEGUARD_BATCH_INLINE=True)
class BatchTests(TestCase):
    def setUp(self):
        self.ana, _ = member("ana", "Legal Aid North")
        self.api = ApiClient(self.client, token_for(self.ana))

    def submit(self, name: str, data: bytes, map_data: bytes | None = None, **form):
        files = {"manifest": upload(name, data)}
        if map_data is not None:
            files["map"] = upload("map.yaml", map_data)
        return self.api.upload("/batches", files, form)

    def test_upload_poll_download_rows_in_equal_rows_out(self):
        roster = (EXAMPLES / "roster.csv").read_bytes()
        r = self.submit("roster.csv", roster, (EXAMPLES / "roster-map.yaml").read_bytes(), as_of="2026-01-01")
        self.assertEqual(r.status_code, 202, r.content)
        location = r["Location"]
        self.assertRegex(location, r"^/api/v1/batches/\d+$")
        status = self.api.get(location.removeprefix("/api/v1")).json()
        self.assertEqual(status["status"], "done", status)
        self.assertEqual((status["rows_total"], status["rows_done"], status["progress"]), (6, 6, 1.0))
        self.assertEqual(status["summary"]["rows_in"], status["summary"]["rows_out"])
        self.assertNotIn("input", status["summary"])  # no server paths
        out = self.client.get(status["output_url"], headers=self.api._headers())
        self.assertEqual(out.status_code, 200)
        self.assertEqual(out["Content-Type"], "text/csv")
        body = b"".join(out.streaming_content)
        screened, given = pl.read_csv(io.BytesIO(body)), pl.read_csv(io.BytesIO(roster))
        self.assertEqual(screened.height, given.height)
        self.assertEqual(screened["ID"].to_list(), given["ID"].to_list())
        self.assertIn("transfer_outcome", screened.columns)
        rep = self.client.get(status["report_url"], headers=self.api._headers())
        names = zipfile.ZipFile(io.BytesIO(b"".join(rep.streaming_content))).namelist()
        self.assertIn("report.html", names)
        job = BatchJob.objects.get(id=status["id"])
        self.assertFalse([p.name for p in jobs.folder(job).iterdir() if p.name.endswith(".partial")])
        gone = self.client.delete(f"/api/v1/batches/{job.id}", headers=self.api._headers())
        self.assertEqual(gone.status_code, 204)
        self.assertFalse(jobs.folder(job).exists())
        self.assertEqual(self.api.get(f"/batches/{job.id}").status_code, 404)

    def test_parquet_in_parquet_out(self):
        frame = pl.DataFrame({"person_id": ["a", "b", "c"], "birth_place": ["GU", "MX", None],
                              "birth_date": ["1960-05-01", "1975-03-10", None]})
        buf = io.BytesIO()
        frame.write_parquet(buf)
        status = self.api.get(self.submit("people.parquet", buf.getvalue())["Location"].removeprefix("/api/v1")).json()
        self.assertEqual(status["status"], "done", status)
        out = self.client.get(status["output_url"], headers=self.api._headers())
        screened = pl.read_parquet(io.BytesIO(b"".join(out.streaming_content)))
        self.assertEqual(screened["person_id"].to_list(), ["a", "b", "c"])
        self.assertEqual(screened["citizenship_status"].to_list()[0], "citizen")
        self.assertIn('filename="people-screened.parquet"', out["Content-Disposition"])

    def test_a_manifest_the_run_refuses_fails_in_the_clients_words_with_no_output(self):
        r = self.submit("roster.csv", (EXAMPLES / "roster.csv").read_bytes())  # no map: DOB is no fact
        status = self.api.get(r["Location"].removeprefix("/api/v1")).json()
        self.assertEqual(status["status"], "failed")
        self.assertIn("'DOB'", status["error"])
        self.assertIn("roster.csv", status["error"])
        self.assertNotIn(str(jobs.folder(BatchJob.objects.get(id=status["id"]))), status["error"])
        self.assertIsNone(status["output_url"])
        r = self.api.get(f"/batches/{status['id']}/output")
        self.assertEqual(r.status_code, 409)
        self.assertTrue(r["Content-Type"].startswith(PROBLEM))

    def test_upload_errors_are_problems(self):
        r = self.submit("roster.txt", b"a,b\n1,2\n")
        self.assertEqual(r.status_code, 415)
        self.assertIn(".txt", r.json()["detail"])
        r = self.submit("roster.csv", b"birth_place\nGU\n", as_of="2026-02-30")
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["fact"], "as_of")
        r = self.submit("roster.csv", b"birth_place\nGU\n", b"columns: [not, a, mapping]\n")
        self.assertEqual(r.status_code, 422)
        self.assertTrue(r["Content-Type"].startswith(PROBLEM))
        self.assertEqual(BatchJob.objects.count(), 0)
        r = self.api.upload("/batches", {})
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["pointer"], "#/manifest")

    def test_who_sees_which_job(self):
        status = self.api.get(self.submit("p.csv", b"birth_place\nGU\n")["Location"].removeprefix("/api/v1")).json()
        path = f"/batches/{status['id']}"
        bo, _ = member("bo", "Legal Aid North")
        att, _ = member("att", "Legal Aid North", Role.ATTORNEY)
        zed, _ = member("zed", "Another Office")
        self.assertEqual(ApiClient(self.client, token_for(att)).get(path).status_code, 200)
        for user in (bo, zed):
            other = ApiClient(self.client, token_for(user))
            for sub in ("", "/output", "/report"):
                self.assertEqual(other.get(path + sub).status_code, 404, (user.username, sub))
        self.assertEqual(ApiClient(self.client, None).get(path).status_code, 401)


class AttemptTests(TestCase):
    """The task itself, as the queue hands it out again after a worker stopped (no queue needed)."""

    def setUp(self):
        self.ana, self.org = member("ana", "Legal Aid North")

    def job(self, **fields) -> BatchJob:
        job = BatchJob.objects.create(organisation=self.org, owner=self.ana, input_name="p.csv", output_format="csv",
                                      **fields)
        shutil.rmtree(jobs.folder(job), ignore_errors=True)  # of an earlier test's job with this number
        jobs.input_path(job).parent.mkdir(parents=True, exist_ok=True)
        jobs.input_path(job).write_text("person_id,birth_place\na,GU\nb,MX\n")
        return job

    def test_a_start_after_a_stopped_one_runs_from_the_beginning(self):
        job = self.job(status=BatchJob.Status.RUNNING, attempts=1, rows_done=1)
        jobs.output_path(job).write_text("half an old output")  # cannot be: but never kept if it were
        self.assertEqual(jobs.run(job.id), "done", BatchJob.objects.get(id=job.id).error)
        job.refresh_from_db()
        self.assertEqual((job.status, job.attempts, job.rows_done), ("done", 2, 2))
        self.assertEqual(pl.read_csv(jobs.output_path(job)).height, 2)

    def test_a_running_job_is_not_deleted_and_old_jobs_are_purged(self):
        from datetime import timedelta

        from django.utils import timezone

        running = self.job(status=BatchJob.Status.RUNNING, attempts=1)
        r = self.client.delete(f"/api/v1/batches/{running.id}", headers={"Authorization": f"Bearer {token_for(self.ana)}"})
        self.assertEqual(r.status_code, 409)
        self.assertTrue(jobs.input_path(running).exists())
        old = self.job(status=BatchJob.Status.DONE, finished_at=timezone.now() - timedelta(days=31))
        self.assertEqual(jobs.purge_expired(), 1)
        self.assertFalse(BatchJob.objects.filter(id=old.id).exists())
        self.assertFalse(jobs.folder(old).exists())
        self.assertTrue(BatchJob.objects.filter(id=running.id).exists())

    def test_past_the_attempts_allowed_the_job_fails_without_output(self):
        job = self.job(status=BatchJob.Status.RUNNING, attempts=jobs.MAX_ATTEMPTS)
        self.assertEqual(jobs.run(job.id), "failed")
        job.refresh_from_db()
        self.assertEqual(job.status, "failed")
        self.assertIn("stopped before finishing", job.error)
        self.assertFalse(jobs.output_path(job).exists())

    def test_a_finished_job_handed_out_again_is_left_alone(self):
        job = self.job(status=BatchJob.Status.DONE, attempts=1)
        self.assertEqual(jobs.run(job.id), "done")
        job.refresh_from_db()
        self.assertEqual(job.attempts, 1)
