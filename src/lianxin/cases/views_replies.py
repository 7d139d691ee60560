"""常用语: the county administrator's screen of canned replies (list, create, edit, deactivate).

Thin views over ``cases.services.replies`` (writes, audited); every refusal is a message on
the page, never a 500.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.cases.forms_replies import CannedReplyForm
from lianxin.cases.models import CannedReply
from lianxin.cases.services import replies as svc
from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error

PERM = svc.MANAGE_PERM


def _crumbs(*items):
    return [{"label": _("常用语"), "url": reverse("cases:reply_list")}, *items]


@permission_required(PERM)
@require_GET
def reply_list(request):
    return render(
        request,
        "cases/replies_list.html",
        {"rows": list(svc.canned_list()), "breadcrumbs": [{"label": _("常用语")}]},
    )


def _save(request, form: CannedReplyForm, reply: CannedReply | None):
    d = form.cleaned_data
    args = {
        "actor": request.user,
        "purpose": d["purpose"],
        "text": d["text"],
        "category": d["category"],
        "order": d["order"],
        "request": request,
    }
    if reply is None:
        return svc.canned_reply_create(**args)
    return svc.canned_reply_update(reply=reply, **args)


def _form_page(request, reply: CannedReply | None):
    initial = {}
    if reply is not None:
        initial = {
            "purpose": reply.purpose,
            "category": reply.category_id,
            "text": reply.text,
            "order": reply.order,
        }
    form = CannedReplyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, form, reply)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("已保存常用语。"))
            return redirect("cases:reply_list")
    label = _("修改常用语") if reply is not None else _("新建常用语")
    return render(
        request,
        "cases/replies_form.html",
        {"form": form, "reply": reply, "breadcrumbs": _crumbs({"label": label})},
        status=422 if form.is_bound and form.errors else 200,
    )


@permission_required(PERM)
@require_http_methods(["GET", "POST"])
def reply_create(request):
    return _form_page(request, None)


@permission_required(PERM)
@require_http_methods(["GET", "POST"])
def reply_edit(request, pk: int):
    return _form_page(request, get_object_or_404(CannedReply, pk=pk))


def _set_active(request, pk: int, active: bool):
    reply = get_object_or_404(CannedReply, pk=pk)
    svc.canned_reply_set_active(actor=request.user, reply=reply, active=active, request=request)
    messages.success(request, _("已启用常用语。") if active else _("已停用常用语。"))
    return redirect("cases:reply_list")


@permission_required(PERM)
@require_POST
def reply_deactivate(request, pk: int):
    return _set_active(request, pk, False)


@permission_required(PERM)
@require_POST
def reply_activate(request, pk: int):
    return _set_active(request, pk, True)
