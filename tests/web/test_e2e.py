"""End to end in Debian's chromium (Playwright): the screener's interview through a real `safeguard serve`.
Skipped, saying why, where Playwright or the chromium binary is missing."""

from __future__ import annotations

import importlib.resources
import os
import shutil
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api", reason="browser tests need the webtest extra (playwright)")
if shutil.which("chromium") is None:
    pytest.skip("browser tests need Debian's chromium (apt-get install chromium; .ci/run does it)", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402
from tests.web.e2e_support import SHOTS, Server, launch, login, new_case, run_interview  # noqa: E402
from tests.web.test_views import DERIVED  # noqa: E402

PROTECTED = {"birth_place": "El Salvador", "birth_date": "1995-07-26", "parents_married_at_birth": True,
             "mother_citizen_at_birth": False, "father_citizen_at_birth": False, "mother_national_at_birth": False,
             "father_national_at_birth": False, "mother_naturalized": False, "father_naturalized": False,
             "naturalized": False, "lpr": False, "foundling": False, "adopted": False, "nationalities": ["El Salvador"],
             "immigration_status": "no_status", "removal_order": "final", "order_designated_country": "El Salvador",
             "withholding_countries": ["El Salvador"], "cat_countries": []}


@pytest.fixture(scope="module")
def server():
    s = Server()
    s.add_user("otherorg", "Another Legal Aid", "admin")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context()
    pg = ctx.new_page()
    pg.set_default_timeout(20_000)
    login(pg, server.url, "admin", server.password)
    yield pg
    ctx.close()


def test_serve_printed_a_first_admin_password_once(server):
    assert server.password and len(server.password) >= 12
    assert sum("password:" in line for line in server.output) == 1


def test_derived_citizen_reaches_citizen(page, server):
    new_case(page, server.url, "E2E derived")
    asked = run_interview(page, DERIVED, shot="derived")
    print(f"\nE2E derived-citizen client: {len(asked)} question screens to CITIZEN: {asked}")
    assert page.inner_text("#status") == "CITIZEN"
    assert "321(a)(3)" in page.inner_text("main")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "derived-result.png"), full_page=True)


def test_protected_person_is_barred(page, server):
    new_case(page, server.url, "E2E protected", destination="El Salvador", arrangement="sv-cecot-2025-grant")
    run_interview(page, PROTECTED)
    assert page.inner_text("#outcome") == "BARRED_PROTECTION"
    page.screenshot(path=str(SHOTS / "protected-result.png"), full_page=True)


def test_dont_know_ends_with_open_questions(page, server):
    new_case(page, server.url, "E2E unknown")
    run_interview(page, {"birth_place": "Mexico", "birth_date": "1975-03-10"}, limit=90)
    assert page.inner_text("#status") == "UNKNOWN"
    assert page.query_selector("#unknown-questions li") is not None
    assert page.query_selector("#deciding li") is not None


def test_back_and_change_an_answer(page, server):
    new_case(page, server.url, "E2E back")
    run_interview_steps = DERIVED
    first = page.get_attribute("input[name=fact]", "value")
    from tests.web.e2e_support import answer_screen, wait_next

    answer_screen(page, first, run_interview_steps.get(first))
    wait_next(page, first)
    second = page.get_attribute("input[name=fact]", "value")
    page.click("a[rel=prev]")
    page.wait_for_function("f => document.querySelector('input[name=fact]').value === f", arg=first)
    # change the birth place from the answers page
    page.click("text=Your answers")
    page.wait_for_selector("table.answers")
    page.goto(page.url.replace("/answers/", "/interview/") + "?fact=birth_place&return=answers")
    page.fill("#value", "Guatemala")
    page.click("button[value=answer]")
    page.wait_for_selector("table.answers")
    assert "Guatemala" in page.inner_text("table.answers")
    assert second


def test_logout_login_resume(page, server):
    new_case(page, server.url, "E2E resume")
    from tests.web.e2e_support import answer_screen, wait_next

    first = page.get_attribute("input[name=fact]", "value")
    answer_screen(page, first, DERIVED.get(first))
    wait_next(page, first)
    second = page.get_attribute("input[name=fact]", "value")
    interview_url = page.url
    page.click("button.link")  # log out
    page.wait_for_selector("#id_username")
    login(page, server.url, "admin", server.password)
    page.click("text=E2E resume")
    page.click("text=Continue the interview")
    page.wait_for_selector("input[name=fact]", state="attached")
    assert page.get_attribute("input[name=fact]", "value") == second
    assert "/interview/" in interview_url


def test_other_organisation_is_refused(browser, server, page):
    new_case(page, server.url, "E2E private")
    case_url = page.url.rsplit("/interview/", 1)[0] + "/"
    ctx = browser.new_context()
    other = ctx.new_page()
    from tests.web.helpers import PASSWORD

    login(other, server.url, "otherorg", PASSWORD)
    assert "E2E private" not in other.inner_text("main")
    for suffix in ("", "interview/", "answers/", "result/", "summary/"):
        r = other.goto(case_url + suffix)
        assert r.status == 404, suffix
    ctx.close()


def test_spanish_interview_end_to_end(page, server):
    page.select_option("#language", "es")
    page.click("form.lang button")
    page.wait_for_selector("html[lang=es]")
    new_case(page, server.url, "E2E español")
    assert "¿" in page.inner_text("h1#question")
    spanish = {**DERIVED, "birth_place": "México"}
    run_interview(page, spanish)
    assert page.inner_text("#status") == "CITIZEN"
    assert "Ciudadanía" in page.inner_text("main")
    page.screenshot(path=str(SHOTS / "spanish-result.png"), full_page=True)


def open_example(page, server, name: str) -> None:
    """One of the bundled example cases `safeguard serve` loaded."""
    page.goto(server.url + "/")
    page.click(f"text=Example: {name}")
    page.wait_for_selector("a:has-text('Printable summary')")


def test_printable_summary(page, server):
    open_example(page, server, "withholding-el-salvador")
    page.click("a:has-text('Printable summary')")
    page.wait_for_selector("#status", state="attached")
    assert page.inner_text("#outcome") == "BARRED_PROTECTION"
    assert "SV" in page.inner_text("table.answers") or "El Salvador" in page.inner_text("table.answers")
    page.emulate_media(media="print")
    assert not page.is_visible("header.top") if page.query_selector("header.top") else True
    assert page.is_hidden(".noprint")
    assert "Law version" in page.inner_text("main")
    pdf = Path(tempfile.gettempdir()) / "safeguard-summary.pdf"
    page.pdf(path=str(pdf))
    assert pdf.read_bytes()[:5] == b"%PDF-"
    page.screenshot(path=str(SHOTS / "summary-print.png"), full_page=True)


def _axe_source() -> str | None:
    """axe-core's script: $SAFEGUARD_AXE, else the axe.min.js installed with the pinned axe-playwright-python
    (the webtest extra). Nothing is fetched while the tests run."""
    if os.environ.get("SAFEGUARD_AXE"):
        return Path(os.environ["SAFEGUARD_AXE"]).read_text()
    try:
        script = importlib.resources.files("axe_playwright_python").joinpath("axe.min.js")
    except ModuleNotFoundError:
        return None
    return script.read_text(encoding="utf-8") if script.is_file() else None


def test_axe_no_serious_violations(browser, server):
    source = _axe_source()
    if source is None:
        pytest.skip("no axe-core script: install the webtest extra (axe-playwright-python) or set SAFEGUARD_AXE")
    ctx = browser.new_context(bypass_csp=True)  # the page's CSP forbids injected scripts
    pg = ctx.new_page()
    login(pg, server.url, "admin", server.password)
    new_case(pg, server.url, "E2E axe", destination="El Salvador")
    pages = {"question": pg.url, "cases": server.url + "/", "new case": server.url + "/cases/new/"}
    open_example(pg, server, "withholding-el-salvador")
    case_url = pg.url
    pages.update({"result": case_url + "result/", "answers": case_url + "answers/", "summary": case_url + "summary/",
                  "two-step login": server.url + "/account/two-step/",
                  "two-step enrolment": server.url + "/account/two-step/enrol/"})
    found = {}
    for name, url in pages.items():
        pg.goto(url)
        pg.evaluate(source)
        result = pg.evaluate("async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']})).violations")
        bad = [(v["id"], v["impact"], len(v["nodes"])) for v in result if v["impact"] in ("serious", "critical")]
        if bad:
            found[name] = bad
    ctx.close()
    assert not found, found


def test_api_docs_page_renders_under_the_csp_with_local_assets(browser, server):
    """/api/v1/docs: Swagger UI from the package's own files; no CSP violation, no request to another host."""
    ctx = browser.new_context()
    pg = ctx.new_page()
    problems, hosts = [], set()
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    pg.goto(server.url + "/api/v1/docs")
    pg.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    assert "safeguard API" in pg.inner_text(".swagger-ui .info .title")
    assert pg.locator(".opblock-summary-path").filter(has_text="/api/v1/screenings").count() >= 1
    assert hosts == {f"127.0.0.1:{server.port}"}, hosts
    assert not problems, problems
    ctx.close()
