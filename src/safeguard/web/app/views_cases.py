"""The case list (with search over the minimal index), a new case, a case's page, close and delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeguard.arrangements import load_catalogue
from safeguard.web.app import audit, countries, store
from safeguard.web.app.access import case_for, may_delete, membership, visible_cases


@login_required
def case_list(request):
    m = membership(request.user)
    q = request.GET.get("q", "").strip()
    cases = visible_cases(request.user).select_related("index", "owner").order_by("-index__updated_at")
    if q:
        cases = cases.filter(index__label__icontains=q)
    audit.record(request.user, "case.list", None, {"q": bool(q)})
    return render(request, "web/cases.html", {"cases": cases[:200], "q": q, "member": m})


@login_required
def case_new(request):
    m = membership(request.user)
    if m is None:
        return HttpResponseForbidden(_("Your account belongs to no organisation; ask an admin to add you to one."))
    lang = get_language() or "en"
    arrangements = sorted(load_catalogue())
    ctx = {"countries": countries.choices(lang), "arrangements": arrangements, "form": request.POST}
    if request.method == "POST":
        label = request.POST.get("label", "").strip()
        dest_text = request.POST.get("destination", "").strip()
        arrangement = request.POST.get("arrangement", "")
        errors = {}
        if not label:
            errors["label"] = _("Give the case a label you will recognise (not the client's full name).")
        dest, suggestions = (None, [])
        if dest_text:
            dest, suggestions = countries.resolve(dest_text)
            if dest is None:
                errors["destination"] = _("We could not find that country. Choose one of the suggestions or check the spelling.")
        if arrangement and arrangement not in arrangements:
            errors["arrangement"] = _("Choose an arrangement from the list.")
        if errors:
            ctx.update(errors=errors, suggestions=[(c, countries.name(c, lang)) for c in suggestions])
            return render(request, "web/case_new.html", ctx)
        case = store.create_case(request.user, m.organisation, label)
        if dest:
            store.answer(case, request.user, "destination_country", dest)
        if arrangement:
            store.answer(case, request.user, "arrangement", arrangement)
        return redirect("interview", case_id=case.id)
    return render(request, "web/case_new.html", ctx)


@login_required
def case_detail(request, case_id: int):
    case = case_for(request.user, case_id)
    st = store.state(case)
    audit.record(request.user, "case.view", case.id)
    last = case.screenings.order_by("-id").first()
    return render(request, "web/case.html", {"case": case, "answered": len(st.order), "last": last,
                                             "may_delete": may_delete(request.user, case)})


@login_required
@require_POST
def case_close(request, case_id: int):
    case = case_for(request.user, case_id)
    case.closed_at = None if case.closed_at else timezone.now()
    case.save(update_fields=["closed_at"])
    audit.record(request.user, "case.close" if case.closed_at else "case.reopen", case.id)
    return redirect("case", case_id=case.id)


@login_required
@require_POST
def case_delete(request, case_id: int):
    case = case_for(request.user, case_id)
    if not may_delete(request.user, case):
        return HttpResponseForbidden(_("Only the case's owner or a supervising attorney may delete it."))
    store.delete_case(case, request.user)
    messages.success(request, _("The case and all its answers were deleted."))
    return redirect("cases")
