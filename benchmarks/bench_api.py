"""API latency benchmark: p50/p99 of POST /api/v1/screenings on the embedded server. Prints, never asserts.

    .venv/bin/python benchmarks/bench_api.py [--requests 400] [--seconds 60] [--concurrency 1,4] [--explain]

Starts `safeguard serve` (Django's threaded server, as the app ships it, without the batch worker) on
127.0.0.1 with a fresh data folder, makes an API token with `safeguard token create`, then runs the load
generator in a second process: bounded by a count of requests and a time limit, each request a new
connection, the bundled example cases in turn (their facts; unknowns left out), after a warm-up.
Latency is measured by the client, from connect to the last byte of the response.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from importlib import resources
from pathlib import Path

WARMUP = 20


def cases() -> list[tuple[str, dict]]:
    folder = resources.files("safeguard") / "examples"
    out = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".json"):
            facts = json.loads(entry.read_text("utf-8"))
            facts.pop("as_of", None)
            out.append((entry.name[:-5], {"facts": facts, "as_of": "2026-11-23"}))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url: str, token: str, body: bytes) -> tuple[int, float]:
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as e:
        e.read()
        status = e.code
    return status, time.perf_counter() - start


def client(url: str, token: str, requests: int, seconds: float, concurrency: int) -> dict:
    """The load generator (run in its own process): `requests` timed requests or `seconds`, whichever first."""
    names = [name for name, _ in cases()]
    bodies = [json.dumps(c).encode() for _, c in cases()]
    for i in range(WARMUP):
        post(url, token, bodies[i % len(bodies)])
    latencies: list[float] = []
    by_case: dict[str, list[float]] = {}
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    counter = iter(range(requests))
    deadline = time.perf_counter() + seconds

    def work() -> None:
        for i in counter:
            if time.perf_counter() > deadline:
                return
            status, took = post(url, token, bodies[i % len(bodies)])
            with lock:
                latencies.append(took)
                by_case.setdefault(names[i % len(names)], []).append(took)
                statuses[status] = statuses.get(status, 0) + 1

    start = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"concurrency": concurrency, "requests": len(latencies), "seconds": round(wall, 2),
            "per_second": round(len(latencies) / wall, 1), "statuses": statuses,
            "p50_ms": round(q[49] * 1000, 1), "p90_ms": round(q[89] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
            "max_ms": round(max(latencies) * 1000, 1), "mean_ms": round(statistics.fmean(latencies) * 1000, 1),
            "p50_ms_by_case": {k: round(statistics.median(v) * 1000, 1) for k, v in sorted(by_case.items())}}


def engine_alone(explain: bool, rounds: int = 20) -> dict[str, float]:
    """p50 of `safeguard.api.screen` in this process on the same cases: what the HTTP layer adds is the rest."""
    from safeguard import api

    out = {}
    for name, body in cases():
        api.screen(body["facts"], as_of=body["as_of"], explain=explain)
        took = []
        for _ in range(rounds):
            start = time.perf_counter()
            api.screen(body["facts"], as_of=body["as_of"], explain=explain)
            took.append(time.perf_counter() - start)
        out[name] = round(statistics.median(took) * 1000, 1)
    return out


def wait_until_up(url: str, limit: float = 180) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer {url} within {limit:.0f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=400, help="Timed requests per run (after a warm-up)")
    ap.add_argument("--seconds", type=float, default=60, help="Time limit per run")
    ap.add_argument("--concurrency", default="1,4", help="Client threads, one run each (comma list)")
    ap.add_argument("--explain", action="store_true", help="POST /screenings?explain=true")
    ap.add_argument("--client", nargs=5, metavar=("URL", "TOKEN", "N", "SECONDS", "THREADS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.client:
        url, token, n, secs, threads = args.client
        print(json.dumps(client(url, token, int(n), float(secs), int(threads))))
        return
    exe = Path(sys.executable).with_name("safeguard")
    data = Path(tempfile.mkdtemp(prefix="safeguard-bench-api-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SAFEGUARD_DEBUG")}
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    server = subprocess.Popen([str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data),
                               "--no-examples", "--no-worker"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        up = wait_until_up(f"{base}/openapi.json")
        token = subprocess.run([str(exe), "token", "create", "admin", "--name", "bench", "--data-dir", str(data)],
                               env=env, capture_output=True, text=True, check=True).stdout.strip()
        url = f"{base}/screenings" + ("?explain=true" if args.explain else "")
        print(f"server: safeguard serve (Django runserver, threaded) on 127.0.0.1:{port}, up in {up:.1f} s; "
              f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")
        print(f"POST /api/v1/screenings{'?explain=true' if args.explain else ''}: {len(cases())} example cases in "
              f"turn, {WARMUP} warm-up requests, then at most {args.requests} requests or {args.seconds:.0f} s")
        alone = engine_alone(args.explain)
        print("  the engine alone, in-process (safeguard.api.screen), p50 by case: "
              + ", ".join(f"{k} {v} ms" for k, v in alone.items()))
        for threads in [int(c) for c in args.concurrency.split(",")]:
            out = subprocess.run([sys.executable, __file__, "--client", url, token, str(args.requests),
                                  str(args.seconds), str(threads)], capture_output=True, text=True, check=True)
            r = json.loads(out.stdout)
            print(f"  {threads} client thread(s): {r['requests']} requests in {r['seconds']} s ({r['per_second']}/s)"
                  f"  p50 {r['p50_ms']} ms  p90 {r['p90_ms']} ms  p99 {r['p99_ms']} ms  max {r['max_ms']} ms"
                  f"  statuses {r['statuses']}")
            print("    p50 by case: " + ", ".join(f"{k} {v} ms" for k, v in r["p50_ms_by_case"].items()))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
