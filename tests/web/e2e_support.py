"""Browser tests' machinery: a real `safeguard serve` in a subprocess on a fresh data folder, Debian's
chromium driven by Playwright (never a downloaded browser), and an interview driver that answers each
screen from a table of the client's facts (or "I don't know")."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from safeguard.facts.schema import fact_specs
from safeguard.web.app.questions import follow_ups

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
SHOTS = Path(os.environ.get("SAFEGUARD_SCREENSHOTS", Path(tempfile.gettempdir()) / "safeguard-web-screens"))

MAKE_USER = """
import sys
from safeguard.web import firstrun
firstrun.configure()
from tests.web.helpers import member
member(sys.argv[1], sys.argv[2], sys.argv[3])
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self):
        self.data = tempfile.mkdtemp(prefix="safeguard-e2e-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        root = Path(__file__).resolve().parents[2]
        self.env = {**os.environ, "SAFEGUARD_DATA_DIR": self.data, "PYTHONPATH": str(root)}
        for k in ("SAFEGUARD_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SAFEGUARD_SECRET_KEY"):
            self.env.pop(k, None)
        self.proc = subprocess.Popen([sys.executable, "-m", "safeguard", "serve", "--port", str(self.port),
                                      "--data-dir", self.data], env=self.env, cwd=root,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output = []
        self.password = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("safeguard serve stopped:\n" + "".join(self.output))
            self.output.append(line)
            m = re.search(r"password: (\S+)", line)
            if m:
                self.password = m.group(1)
            if "is serving on" in line:
                break
        self._wait_listening()

    def _wait_listening(self) -> None:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server never listened:\n" + "".join(self.output))

    def add_user(self, username: str, org: str, role: str = "screener") -> None:
        root = Path(__file__).resolve().parents[2]
        subprocess.run([sys.executable, "-c", MAKE_USER, username, org, role], env=self.env, cwd=root, check=True)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.data, ignore_errors=True)


def launch(playwright):
    return playwright.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS, headless=True)


def login(page, url: str, username: str, password: str) -> None:
    page.goto(url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_selector("h1:has-text('Cases'), h1:has-text('Casos')")


def new_case(page, url: str, label: str, destination: str = "", arrangement: str = "") -> None:
    page.goto(url + "/cases/new/")
    page.fill("#label", label)
    if destination:
        page.fill("#destination", destination)
    if arrangement:
        page.select_option("#arrangement", arrangement)
    page.click("button.primary")
    page.wait_for_selector("input[name=fact], #status", state="attached")


def current_fact(page) -> str | None:
    el = page.query_selector("input[name=fact]")
    return el.get_attribute("value") if el else None


def answer_screen(page, fact: str, value, truth: dict | None = None) -> None:
    """Fill the screen's control for `fact` with `value` (None = "I don't know") and submit it."""
    spec = fact_specs()[fact]
    if value is None:
        page.click("button[value=dont_know]")
    else:
        if spec.type == "bool":
            page.check(f"input[name=value][value={'yes' if value else 'no'}]")
        elif spec.type == "enum":
            page.check(f"input[name=value][value={value}]")
        elif spec.type == "date":
            parts = value.split("-")
            page.fill("#year", parts[0])
            page.select_option("#month", str(int(parts[1])) if len(parts) > 1 else "")
            page.fill("#day", str(int(parts[2])) if len(parts) > 2 else "")
        elif spec.type == "countries":
            if value:
                page.fill("#value", "; ".join(value))
            else:
                page.check("input[name=none]")
        else:
            page.fill("#value", str(value))
        if isinstance(value, bool):
            fill_follow_ups(page, fact, truth or {}, value)
        page.click("button[value=answer]")


def fill_follow_ups(page, fact: str, truth: dict, answer: bool = True) -> None:
    """The optional follow-up fields a yes/no screen shows for `answer`, filled from `truth` where it has them."""
    for name in follow_ups(fact, answer):
        value = truth.get(name)
        if value is None or page.query_selector(f"[name^='fu-{name}-']") is None:
            continue
        kind = fact_specs()[name].type
        if kind == "date":
            parts = value.split("-")
            page.fill(f"#fu-{name}-year", parts[0])
            page.select_option(f"#fu-{name}-month", str(int(parts[1])) if len(parts) > 1 else "")
            page.fill(f"#fu-{name}-day", str(int(parts[2])) if len(parts) > 2 else "")
        elif kind == "bool":
            page.check(f"input[name=fu-{name}-value][value={'yes' if value else 'no'}]")
        else:
            page.check(f"input[name=fu-{name}-value][value={value}]")


def wait_next(page, previous: str) -> None:
    page.wait_for_function(
        "prev => { const f = document.querySelector('input[name=fact]');"
        " return document.querySelector('#status') || document.querySelector('[role=alert]') || (f && f.value !== prev); }",
        arg=previous)


def run_interview(page, truth: dict, limit: int = 80, shot: str | None = None) -> list[str]:
    """Answer screens until the result page; returns the facts asked, in order."""
    asked: list[str] = []
    shot_taken = False
    while page.query_selector("#status") is None:
        fact = current_fact(page)
        assert fact is not None, page.content()[:3000]
        assert len(asked) < limit, f"no result after {limit} screens: {asked}"
        if shot and not shot_taken and page.query_selector("#follow-ups-no") is not None:  # follow-ups of a "no"
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{shot}-question.png"), full_page=True)
            shot_taken = True
        asked.append(fact)
        answer_screen(page, fact, truth.get(fact), truth)
        wait_next(page, fact)
        alert = page.query_selector(".error[role=alert]")
        assert alert is None, f"{fact}: {alert.inner_text()}"
    return asked
