"""查处举报 pages: thin over services/selectors; every page is ``no-store``.

Public: filing (anonymous or logged in) and following with the code (a POST, so the code never
sits in a URL, a log line or the browser history). Handlers: the list, the detail with its
steps, and the audited reveal. A 举报 a user may not handle is a 404, whoever asks.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lianxin.core import params
from lianxin.core.decorators import login_required, permission_required, public_view
from lianxin.core.paging import paginate
from lianxin.core.ratelimit import key_rate_limited, rate_limited
from lianxin.tipoffs import selectors, services
from lianxin.tipoffs.forms import ConcludeForm, FollowForm, RevealForm, TipoffForm
from lianxin.tipoffs.models import TipoffState
from lianxin.tipoffs.rules import may_reveal_reporter


class Sealed(str):
    """A secret handed to a template: renders as itself, but its repr is opaque, because
    django.template logs the whole context's repr at DEBUG when a variable fails to resolve
    (the canary crawl caught a follow-up code that way)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'<sealed>'"


def _page(request, template: str, context: dict, status: int = 200):
    response = render(request, template, context, status=status)
    response.personal_data = True
    return response


@public_view
@require_http_methods(["GET", "POST"])
def file_tipoff(request):
    """The filing form; after a new 举报 the follow-up code is shown once, in this response."""
    logged_in = request.user.is_authenticated
    if request.method == "POST":
        form = TipoffForm(request.POST, logged_in=logged_in)
        limit, window = settings.LIANXIN_TIPOFF_FILE_LIMIT
        if rate_limited(request, scope="tipoffs:file", limit=limit, window=window):
            form.is_valid()
            form.add_error(None, _("提交过于频繁，请稍后再试。"))
        elif form.is_valid():
            d = form.cleaned_data
            try:
                _tipoff, code = services.tipoff_file(
                    user=request.user,
                    unit=d["unit"],
                    text=d["text"],
                    reported_person=d["reported_person"],
                    reporter_name=d["reporter_name"],
                    contact=d["contact"],
                    anonymous=d.get("anonymous", True) if logged_in else True,
                    form_token=d["form_token"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages[0])
            else:
                context = {"code": Sealed(code), "groups": [Sealed(g) for g in _groups(code)]}
                return _page(request, "tipoffs/filed.html", context)
        return _page(request, "tipoffs/file.html", {"form": form}, status=422)
    return _page(request, "tipoffs/file.html", {"form": TipoffForm(logged_in=logged_in)})


def _groups(code: str) -> list[str]:
    return [code[i : i + 4] for i in range(0, len(code), 4)]


@public_view
@require_http_methods(["GET", "POST"])
def follow(request):
    """State and feedback for a code; a wrong and an unknown code get the same answer."""
    found, error = None, ""
    if request.method == "POST":
        form = FollowForm(request.POST)
        limit, window = settings.LIANXIN_TIPOFF_FOLLOW_LIMIT
        if rate_limited(request, scope="tipoffs:follow", limit=limit, window=window):
            error = _("查询过于频繁，请稍后再试。")
        elif form.is_valid():
            found = selectors.tipoff_by_code(form.cleaned_data["code"])
        if found is None and not error:
            error = _("查询码不正确，请核对后重试。")
        form = FollowForm()  # the code is not echoed back into the page
    else:
        form = FollowForm()
    context = {"form": form, "found": found, "error": error}
    return _page(request, "tipoffs/follow.html", context, status=200 if not error else 422)


@login_required
def mine(request):
    """我的举报: the logged-in reporter's named 举报, state and feedback only."""
    page_obj = paginate(request, selectors.my_tipoffs(user=request.user))
    return _page(request, "tipoffs/mine.html", {"page_obj": page_obj})


@permission_required("tipoffs.handle_tipoff")
def tipoff_list(request):
    state = params.get_choice(request.GET, "state", TipoffState.values)
    qs = selectors.tipoff_list(user=request.user)
    if state:
        qs = qs.filter(state=state)
    context = {
        "page_obj": paginate(request, qs),
        "state": state,
        "states": TipoffState.choices,
    }
    return _page(request, "tipoffs/list.html", context)


def _get(request, pk: int):
    tipoff = selectors.tipoff_get(user=request.user, pk=pk)
    if tipoff is None:
        raise Http404
    return tipoff


def _detail(request, tipoff, *, conclude_form=None, status: int = 200):
    context = {
        "tipoff": tipoff,
        "conclude_form": conclude_form or ConcludeForm(),
        "can_reveal": may_reveal_reporter(request.user, tipoff),
        "States": TipoffState,
    }
    return _page(request, "tipoffs/detail.html", context, status=status)


@permission_required("tipoffs.handle_tipoff")
def tipoff_detail(request, pk: int):
    return _detail(request, _get(request, pk))


@permission_required("tipoffs.handle_tipoff")
@require_POST
def tipoff_step(request, pk: int):
    """受理 / 开始调查 / 办结 (with the conclusion form)."""
    tipoff = _get(request, pk)
    action = params.get_choice(request.POST, "action", ("receive", "investigate", "conclude"))
    try:
        if action == "receive":
            services.tipoff_receive(actor=request.user, tipoff=tipoff, request=request)
        elif action == "investigate":
            services.tipoff_investigate(actor=request.user, tipoff=tipoff, request=request)
        elif action == "conclude":
            form = ConcludeForm(request.POST)
            if not form.is_valid():
                return _detail(request, tipoff, conclude_form=form, status=422)
            services.tipoff_conclude(
                actor=request.user, tipoff=tipoff, request=request, **form.cleaned_data
            )
        else:
            messages.error(request, _("未知的操作。"))
            return _detail(request, tipoff, status=400)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("已保存。"))
    return redirect("tipoffs:detail", pk=tipoff.pk)


@permission_required("tipoffs.reveal_reporter")
@require_http_methods(["GET", "POST"])
def reveal(request, pk: int):
    """The reporter's identity for a reason (audited); refused ones are audited too."""
    tipoff = _get(request, pk)
    if not may_reveal_reporter(request.user, tipoff):
        services.tipoff_reveal_reporter(actor=request.user, tipoff=tipoff, reason="")  # audits
    revealed, status = None, 200
    form = RevealForm(request.POST or None)
    if request.method == "POST":
        limit, window = settings.LIANXIN_REVEAL_LIMIT
        if key_rate_limited(
            scope="tipoffs:reveal", key=str(request.user.pk), limit=limit, window=window
        ):
            form.is_valid()
            form.add_error(None, _("查看过于频繁，请稍后再试。"))
            status = 429
        elif form.is_valid():
            shown = services.tipoff_reveal_reporter(
                actor=request.user,
                tipoff=tipoff,
                reason=form.cleaned_data["reason"],
                request=request,
            )
            revealed = {key: Sealed(value) for key, value in shown.items()}
        else:
            status = 422
    context = {"tipoff": tipoff, "form": form, "revealed": revealed}
    return _page(request, "tipoffs/reveal.html", context, status=status)
