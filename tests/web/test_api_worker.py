"""The real queue in other processes, on a SQLite file: `safeguard worker` (django-q2, the database as
broker) killed with SIGKILL in the middle of a job leaves it unfinished, never "done" and with no screened
file under its name; the next worker hands the stalled job out again and finishes it, rows in = rows out.
And `safeguard token create|list|revoke` from the command line."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytest.importorskip("django_q", reason="the batch worker needs the web extra (django-q2)")

ROWS, CHUNK = 3_000, 500
SETUP = textwrap.dedent("""
    from safeguard.web import firstrun
    firstrun.configure()
    firstrun.migrate()
    from django.contrib.auth import get_user_model
    from safeguard.web.app import jobs
    from safeguard.web.app.models import BatchJob, Membership, Organisation
    user = get_user_model().objects.create_user(username="ana", password="correct horse battery 42")
    org = Organisation.objects.create(name="Legal Aid North")
    Membership.objects.create(user=user, organisation=org)
    job = BatchJob.objects.create(organisation=org, owner=user, input_name="people.csv", output_format="csv")
    path = jobs.input_path(job)
    path.parent.mkdir(parents=True)
    places = ["GU", "MX", "SV", "", "US", "VE"]
    with path.open("w") as fh:
        fh.write("person_id,birth_place,birth_date,destination_country\\n")
        for i in range({rows}):
            fh.write(f"p{{i}},{{places[i % 6]}},19{{50 + i % 40}}-0{{1 + i % 9}}-1{{i % 10}},SV\\n")
    jobs.enqueue(job)
    print(job.id)
""")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("worker-site")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SAFEGUARD_KEY")}
    env.update(SAFEGUARD_DATA_DIR=str(data), SAFEGUARD_SECRET_KEY="worker-test-secret-0123456789abcdef",
               DJANGO_SETTINGS_MODULE="safeguard.web.settings", SAFEGUARD_BATCH_CHUNK_ROWS=str(CHUNK),
               SAFEGUARD_BATCH_STALL_SECONDS="1")
    out = subprocess.run([sys.executable, "-c", SETUP.format(rows=ROWS)], env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    return data, env, int(out.stdout.split()[-1])


def job_row(data: Path, job_id: int) -> dict:
    with sqlite3.connect(data / "safeguard.sqlite3", timeout=20) as db:
        db.row_factory = sqlite3.Row
        return dict(db.execute("SELECT * FROM safeguard_web_batchjob WHERE id = ?", (job_id,)).fetchone())


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "safeguard", "worker"], env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for(check, seconds: float, what: str):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds}s for {what}")


def test_a_killed_worker_never_leaves_done_and_the_next_worker_finishes_the_job(site):
    data, env, job_id = site
    folder = data / "batches" / str(job_id)
    first = start_worker(env)
    try:
        wait_for(lambda: job_row(data, job_id)["rows_done"] > 0, 90, "the first chunks")
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # the worker's own process group, started above
        first.wait(timeout=30)
    killed = job_row(data, job_id)
    assert killed["status"] == "running" and 0 < killed["rows_done"] < ROWS, killed
    assert not (folder / "screened.csv").exists() and not (folder / "report.zip").exists()
    time.sleep(1.5)  # past SAFEGUARD_BATCH_STALL_SECONDS: the job counts as stalled
    second = start_worker(env)
    try:
        done = wait_for(lambda: (row := job_row(data, job_id))["status"] in ("done", "failed") and row, 120,
                        "the second worker to finish the job")
    finally:
        os.killpg(second.pid, signal.SIGKILL)  # its job is over (django-q2's orderly stop takes half a minute)
        second.wait(timeout=30)
    log = second.stdout.read()
    assert done["status"] == "done", (done, log[-2000:])
    assert done["attempts"] == 2
    assert f"handed out again: {job_id}" in log
    lines = (folder / "screened.csv").read_text().splitlines()
    assert len(lines) == ROWS + 1
    assert lines[1].startswith("p0,") and lines[-1].startswith(f"p{ROWS - 1},")
    assert (folder / "report.zip").exists()
    assert not [p.name for p in folder.iterdir() if ".partial" in p.name]


def test_token_commands(site):
    data, env, _ = site
    run = [sys.executable, "-m", "safeguard", "token"]
    made = subprocess.run([*run, "create", "ana", "--name", "laptop"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert token.startswith("sgt_") and "shown only this once" in made.stderr
    with sqlite3.connect(data / "safeguard.sqlite3") as db:
        (token_id, digest), = db.execute("SELECT id, digest FROM safeguard_web_apitoken WHERE name = 'laptop'")
    assert digest == hashlib.sha256(token.encode()).hexdigest()
    listed = subprocess.run([*run, "list"], env=env, capture_output=True, text=True, timeout=60).stdout
    assert "laptop" in listed and "live" in listed and token not in listed
    gone = subprocess.run([*run, "revoke", str(token_id)], env=env, capture_output=True, text=True, timeout=60)
    assert gone.returncode == 0 and "revoked" in gone.stdout
    nobody = subprocess.run([*run, "create", "nobody"], env=env, capture_output=True, text=True, timeout=60)
    assert nobody.returncode == 2 and "no user named 'nobody'" in nobody.stderr
