"""Pending residents: a clerk confirms or corrects the community a resident registered with."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lianxin.core.decorators import permission_required
from lianxin.core.forms import Form
from lianxin.core.paging import paginate
from lianxin.org import residence
from lianxin.org.pickers import VillageChoiceField


class CorrectForm(Form):
    unit = VillageChoiceField(label=gettext_lazy("所在村（社区）"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = residence.clerk_villages(user)


def _crumbs(extra=None):
    crumbs = [{"label": _("待确认居民"), "url": reverse("org:residence_list")}]
    return crumbs + ([{"label": extra}] if extra else [])


def _claim(request, pk: int):
    claim = residence.pending_claim_get(user=request.user, pk=pk)
    if claim is None:
        raise Http404  # not pending, or not in the clerk's area (recorded by audit.probes)
    return claim


def _decide(request, claim, unit=None) -> str:
    """Run the service; '' on success, else the Chinese message to show."""
    try:
        residence.residence_claim_confirm(
            claim=claim, actor=request.user, unit=unit, request=request
        )
    except ValidationError as exc:
        return exc.messages[0]
    except PermissionDenied:
        return _("只能确认本辖区内的居民。")
    return ""


@permission_required("org.confirm_residence")
@require_http_methods(["GET"])
def residence_list(request):
    """The residents of the clerk's area whose registered community awaits confirmation."""
    page = paginate(request, residence.pending_claims(user=request.user))
    return render(
        request,
        "org/residence_list.html",
        {"page_obj": page, "breadcrumbs": [{"label": _("待确认居民")}]},
    )


@permission_required("org.confirm_residence")
@require_POST
def residence_confirm(request, pk: int):
    """Confirm the community the resident chose."""
    claim = _claim(request, pk)
    error = _decide(request, claim)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("已确认 %(user)s 为 %(unit)s 居民。") % {"user": claim.user, "unit": claim.unit.name},
        )
    return redirect("org:residence_list")


@permission_required("org.confirm_residence")
@require_http_methods(["GET", "POST"])
def residence_correct(request, pk: int):
    """Correct the community to another village of the clerk's area, and confirm it."""
    claim = _claim(request, pk)
    form = CorrectForm(request.POST or None, user=request.user, initial={"unit": claim.unit_id})
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        error = _decide(request, claim, unit=unit)
        if not error:
            messages.success(
                request,
                _("已将 %(user)s 的所在社区更正为 %(unit)s 并确认。")
                % {"user": claim.user, "unit": unit.name},
            )
            return redirect("org:residence_list")
        form.add_error("unit", error)
    return render(
        request,
        "org/residence_correct.html",
        {"form": form, "claim": claim, "breadcrumbs": _crumbs(_("更正所在社区"))},
        status=422 if form.is_bound else 200,
    )
