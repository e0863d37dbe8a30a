"""One question per screen. The engine (`safeguard.api.ask`) says which facts can still change a result,
most decisive first; this view shows the first one not answered "I don't know", stores the answer, and
moves on. It stops when the engine says the case is decided or only "I don't know" facts are left."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from safeguard import api
from safeguard.arrangements import load_catalogue
from safeguard.engine.errors import EngineError
from safeguard.facts.parse import InputError, InputErrors
from safeguard.facts.schema import fact_specs
from safeguard.web.app import audit, countries, inputs, store
from safeguard.web.app.access import case_for
from safeguard.web.app.questions import follow_ups, question_text, value_label, why_we_ask


def engine_check(facts: dict) -> str | None:
    """The engine's own message when it cannot take these facts, else None."""
    try:
        api.screen(facts, rank=False)
    except (InputErrors, InputError) as e:
        return str(e)
    except EngineError as e:
        return _("These answers contradict each other: %(why)s") % {"why": e}
    return None


def pending_questions(st: store.CaseState) -> tuple[list[dict], dict | None, str | None]:
    """(questions still worth asking, the engine's ask document, an error message)."""
    try:
        doc = api.ask(st.facts, unknowable=st.unknown)
    except (InputErrors, InputError, EngineError) as e:
        return [], None, str(e)
    return doc["questions"], doc, None  # none of the facts said to be unknown is asked again


def _screen_context(request, case, st, fact, value=None, error=None, suggestions=(), remaining=None):
    lang = get_language() or "en"
    spec = fact_specs()[fact]
    order = st.order
    if fact in order:
        i = order.index(fact)
        previous = order[i - 1] if i > 0 else None
    else:
        previous = order[-1] if order else None
    current = st.facts.get(fact) if value is None else value
    answered = len(order) - (1 if fact in order else 0)
    total = answered + 1 + (remaining if remaining is not None else 0)
    ctx = {
        "case": case, "fact": fact, "spec": spec, "question": question_text(fact, lang), "why": why_we_ask(fact),
        "error": error, "previous": previous, "current": current, "editing": fact in order,
        "return_to": request.GET.get("return") or request.POST.get("return", ""),
        "number": answered + 1, "remaining": remaining, "percent": int(100 * answered / total) if total else 0,
        "choices": [(v, value_label(v, lang)) for v in spec.values],
        "suggestions": [(c, countries.name(c, lang)) for c in suggestions],
        "was_unknown": fact in st.unknown, "none_checked": current == [],
    }
    post = request.POST if request.method == "POST" else None
    ctx["follow_ups"] = [_follow_up_context(f, st, lang, post) for f in follow_ups(fact)]
    ctx["follow_ups_no"] = [_follow_up_context(f, st, lang, post) for f in follow_ups(fact, answer=False)]
    if spec.type == "date" or any(fu["type"] == "date" for fu in ctx["follow_ups"] + ctx["follow_ups_no"]):
        ctx["months"] = [(str(i), m) for i, m in enumerate(_months(), start=1)]
    if spec.type == "date":
        ctx["parts"] = inputs.date_parts(current)
    if spec.type in ("country", "countries"):
        ctx["countries"] = countries.choices(lang)
        if isinstance(current, str) and spec.type == "country":
            ctx["current_text"] = countries.name(current, lang)
        elif isinstance(current, list):
            ctx["current_text"] = "; ".join(countries.name(c, lang) for c in current)
    if spec.type == "string" and fact == "arrangement":
        ctx["arrangements"] = sorted(load_catalogue())
    if spec.type == "periods" and isinstance(current, list):
        ctx["current_text"] = "\n".join(f"{a} to {b or 'now'}" for a, b in current)
    return ctx


def _follow_up_context(fact: str, st: store.CaseState, lang: str, post=None) -> dict:
    """One optional follow-up field on its gate's screen, filled with what was just posted (a screen shown
    again with an error keeps it) or else the stored answer, if any."""
    spec, current = fact_specs()[fact], st.facts.get(fact)
    parts = inputs.date_parts(current) if spec.type == "date" else {}
    prefix = f"fu-{fact}-"
    if post is not None and any(k.startswith(prefix) for k in post):
        if spec.type == "date":
            parts = {k: post.get(prefix + k, "") for k in ("year", "month", "day")}
        else:
            raw = post.get(prefix + "value", "")
            current = {"yes": True, "no": False}.get(raw) if spec.type == "bool" else raw
    return {"fact": fact, "type": spec.type, "question": question_text(fact, lang), "current": current,
            "choices": [(v, value_label(v, lang)) for v in spec.values], "parts": parts}


def _follow_up_answers(fact: str, answer: bool, post, lang: str) -> tuple[dict, str | None]:
    """The follow-ups answered on a "yes" (or "no") to `fact`, those of the other answer ignored (fields left
    empty are asked later, on their own screen)."""
    answers = {}
    for name in follow_ups(fact, answer):
        parsed = inputs.parse_follow_up(fact_specs()[name], post)
        if parsed is None:
            continue
        if parsed.error:
            return {}, f"{question_text(name, lang)} {parsed.error}"
        answers[name] = parsed.value
    return answers, None


def _months() -> list[str]:
    return [_("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"), _("August"),
            _("September"), _("October"), _("November"), _("December")]


def _after(request, case):
    if (request.POST.get("return") or "") == "answers":
        return redirect("answers", case_id=case.id)
    return redirect("interview", case_id=case.id)


@login_required
def interview(request, case_id: int):
    case = case_for(request.user, case_id)
    st = store.state(case)
    fact = request.POST.get("fact") if request.method == "POST" else request.GET.get("fact")
    if fact is not None and fact not in fact_specs():
        return HttpResponseBadRequest(_("There is no question called “%(fact)s”.") % {"fact": fact})
    if request.method == "POST":
        if fact is None:
            return HttpResponseBadRequest(_("The form did not say which question it answers."))
        if request.POST.get("action") == "dont_know":
            store.answer(case, request.user, fact, None, dont_know=True)
            return _after(request, case)
        spec = fact_specs()[fact]
        parsed = inputs.parse(spec, request.POST)
        error, extra = parsed.error, {}
        if error is None and isinstance(parsed.value, bool):
            extra, error = _follow_up_answers(fact, parsed.value, request.POST, get_language() or "en")
        if error is None:
            error = engine_check({**st.facts, fact: parsed.value, **extra})
            if error and spec.type == "date" and len(parsed.value) < 10:
                error = _("Please give the full date (day, month and year). The screening could not use a "
                          "partial date here: %(why)s") % {"why": error}
        if error is None:
            store.answer(case, request.user, fact, parsed.value)
            for name, value in extra.items():
                store.answer(case, request.user, name, value)
            return _after(request, case)
        ctx = _screen_context(request, case, st, fact, error=error, suggestions=parsed.suggestions)
        ctx["posted"] = request.POST
        return render(request, "web/question.html", ctx)
    pending, doc, error = pending_questions(st)
    if error is not None and fact is None:
        return render(request, "web/answers.html", answers_context(case, st, error))
    if fact is None:
        if doc is None or doc["decided"] or not pending:
            return redirect("result", case_id=case.id)
        fact = pending[0]["fact"]
    audit.record(request.user, "interview.view", case.id, {"fact": fact})
    remaining = None if fact in st.order else max(len(pending) - (1 if any(q["fact"] == fact for q in pending) else 0), 0)
    ctx = _screen_context(request, case, st, fact, remaining=remaining)
    approx = ((doc or {}).get("approximate_dates") or {}).get(fact)
    if approx and approx["exact_date_needed"]:  # given as a year or a month, and the answer turns inside it
        ctx["exact_needed"] = {"given": approx["given"], "why": approx["note"]}
    return render(request, "web/question.html", ctx)


def show_value(fact: str, value, lang: str) -> str:
    spec = fact_specs()[fact]
    if spec.type == "bool":
        return _("yes") if value else _("no")
    if spec.type == "country":
        return countries.name(value, lang)
    if spec.type == "countries":
        return "; ".join(countries.name(c, lang) for c in value) or _("none")
    if spec.type == "enum":
        return value_label(value, lang)
    if spec.type == "number":
        return f"{value:g}"
    if spec.type == "periods":
        return "; ".join(f"{a} – {b or _('now')}" for a, b in value)
    return str(value)


def answers_context(case, st, error=None):
    lang = get_language() or "en"
    rows = []
    for fact in st.order:
        rows.append({"fact": fact, "question": question_text(fact, lang),
                     "value": _("I don't know") if fact in st.unknown else show_value(fact, st.facts[fact], lang),
                     "history": store.history(case, fact),
                     "url": reverse("interview", kwargs={"case_id": case.id}) + f"?fact={fact}&return=answers"})
    return {"case": case, "rows": rows, "error": error}


@login_required
def answers(request, case_id: int):
    case = case_for(request.user, case_id)
    st = store.state(case)
    audit.record(request.user, "answers.view", case.id)
    return render(request, "web/answers.html", answers_context(case, st))
