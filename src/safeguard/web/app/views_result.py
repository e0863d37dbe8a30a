"""The result page and the printable summary: the engine's result document (`safeguard.api.screen`), laid
out for a screener and an attorney. Stored as a screening (with the law version) each time the answers
or the law changed since the last one."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from safeguard import api
from safeguard.engine.errors import EngineError
from safeguard.facts.parse import InputError, InputErrors
from safeguard.facts.schema import fact_specs
from safeguard.web.app import audit, labels, store
from safeguard.web.app.access import case_for
from safeguard.web.app.questions import question_text, why_we_ask
from safeguard.web.app.views_interview import answers_context, show_value


def deciding_path(node: dict, out: list[dict]) -> None:
    """The rules that are true on the way down from a decided root: the route and its citations."""
    if node.get("see"):
        return
    out.append({"rule": node["rule"], "doc": node["doc"], "citation": node["citation"]["text"],
                "url": node["citation"]["url"]})
    for child in node.get("children", []):
        if child["value"] is True or (node["rule"] == "citizenship_status" and child["value"] not in (False, "unknown")):
            deciding_path(child, out)
            break


def open_routes(root: dict) -> list[dict]:
    """Routes to citizenship or nationality the known facts leave open (unknown, not closed)."""
    out = []
    for top in root.get("children", []):
        for child in top.get("children", []):
            if child["value"] == "unknown" and not child.get("see"):
                out.append({"rule": child["rule"], "doc": child["doc"], "citation": child["citation"]["text"],
                            "url": child["citation"]["url"]})
    return out


def _build(request, case_id: int, action: str):
    case = case_for(request.user, case_id)
    st = store.state(case)
    lang = get_language() or "en"
    try:
        doc = api.screen(st.facts, explain=True)
    except (InputErrors, InputError, EngineError) as e:
        return case, st, None, {"error": str(e)}
    store.save_screening(case, request.user, {k: v for k, v in doc.items() if k != "explanation"}, st.newest_answer)
    audit.record(request.user, action, case.id)
    root = doc["explanation"][0]
    path: list[dict] = []
    if doc["citizenship"]["status"] != "unknown":
        deciding_path(root, path)
    missing = [f for f in doc["missing_facts"] if f not in st.unknown]
    open_q = [{"fact": f, "question": question_text(f, lang), "why": why_we_ask(f)[:1]} for f in missing]
    unknown_q = [{"fact": f, "question": question_text(f, lang)} for f in st.unknown if f in doc["missing_facts"]]
    status = doc["citizenship"]["status"]
    transfer = doc.get("transfer")
    if transfer:
        transfer = {**transfer, "label": labels.OUTCOME.get(transfer["outcome"], ""),
                    "safeguards": [{**g, "label": labels.SAFEGUARD.get(g["name"], g["name"])} for g in transfer["safeguards"]]}
    history = list(case.screenings.order_by("-id")[:10])
    law_change = None
    if len(history) > 1 and history[1].law_version != doc["law_version"]:
        before = history[1]
        law_change = {"before": before, "status_changed": before.status != status,
                      "outcome_changed": before.transfer_outcome != ((transfer or {}).get("outcome") or "")}
    ctx = {"doc": doc, "status_label": labels.STATUS.get(status, ""), "history": history, "law_change": law_change, "path": path[1:], "routes": open_routes(root) if doc["citizenship"]["status"] == "unknown" else [],
           "deciding": [{"fact": f, "question": question_text(f, lang)} for f in doc["missing_facts"][:2]], "open_questions": open_q, "unknown_questions": unknown_q,
           "transfer": transfer, "now": timezone.now(), "specs": fact_specs(),
           "presumptions": [{"question": question_text(p["fact"], lang) if p.get("fact") in fact_specs() else p.get("fact"),
                             "value": show_value(p["fact"], p["presumed"], lang) if p.get("fact") in fact_specs() else p.get("presumed"),
                             "authority": p.get("authority", "")} for p in doc.get("presumptions", []) if isinstance(p, dict)]}
    return case, st, doc, ctx


@login_required
def result(request, case_id: int):
    case, st, doc, ctx = _build(request, case_id, "result.view")
    ctx["case"] = case
    return render(request, "web/result.html", ctx)


@login_required
def summary(request, case_id: int):
    case, st, doc, ctx = _build(request, case_id, "summary.export")
    ctx.update(answers_context(case, st))
    ctx["case"] = case
    return render(request, "web/summary.html", ctx)


@login_required
def summary_pdf(request, case_id: int):
    """The printable summary as a PDF (WeasyPrint), for the attorney's file."""
    from django.contrib.staticfiles import finders
    from django.http import HttpResponse
    from django.template.loader import render_to_string

    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError):  # not installed, or its system libraries (Pango) missing
        return HttpResponse(_("PDF export needs WeasyPrint; use the printable summary and your browser's Print."),
                            status=501, content_type="text/plain; charset=utf-8")
    case, st, doc, ctx = _build(request, case_id, "summary.pdf")
    ctx.update(answers_context(case, st))
    css = Path(finders.find("web/safeguard.css"))
    ctx.update(case=case, pdf_css=css.as_uri())
    html = render_to_string("web/summary.html", ctx, request=request)
    pdf = HTML(string=html, base_url=css.parent.as_uri() + "/",
               url_fetcher=URLFetcher(allowed_protocols={"file"})).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="safeguard-case-{case.id}.pdf"'
    return response
