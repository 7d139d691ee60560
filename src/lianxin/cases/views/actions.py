"""The steps a handler can take from a request's panel: action name → (service, arguments).

``case_action`` looks the posted action up in ``ACTIONS`` and calls
``step.service(case=…, actor=request.user, **step.kwargs(request))``. A kwargs builder reads the
panel's fields from the POST (the panel's small forms post ``note``, ``resolution``, ``to_unit``,
``into``, ``until``, ``approve``); a field that cannot be resolved raises ``CaseError`` with the
message shown in the panel, exactly as the service's own refusals are. Who may act and from which
state is the service's business (``services.authority``, ``services.machine``), never the table's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from lianxin.cases import selectors, services
from lianxin.core import params
from lianxin.org.models import Unit

KwargsBuilder = Callable[[HttpRequest], dict[str, Any]]


@dataclass(frozen=True)
class Step:
    service: Callable[..., object]
    kwargs: KwargsBuilder


def _none(request: HttpRequest) -> dict[str, Any]:
    return {}


def _note(request: HttpRequest) -> dict[str, Any]:
    return {"note": request.POST.get("note", "")}


def _reason(request: HttpRequest) -> dict[str, Any]:
    """The panel's one text box is ``note``; the services call it a reason where one is required."""
    return {"reason": request.POST.get("note", "")}


def _canned(request: HttpRequest, purpose: str, text: str) -> str:
    """The typed text; without JS an empty box takes the 常用语 picked in the select."""
    if text.strip():
        return text
    from lianxin.cases.services.replies import canned_text

    return canned_text(purpose, params.get_id(request.POST, "canned"))


def _resolution(request: HttpRequest) -> dict[str, Any]:
    """The result (or the picked 常用语) and the optional 办结照片."""
    return {
        "resolution": _canned(request, "resolve", request.POST.get("resolution", "")),
        "result_photo": request.FILES.get("result_photo"),
    }


def _send_back(request: HttpRequest) -> dict[str, Any]:
    return {"reason": _canned(request, "send_back", request.POST.get("note", ""))}


def _reject(request: HttpRequest) -> dict[str, Any]:
    return {"reason": _canned(request, "reject", request.POST.get("note", ""))}


def _target(request: HttpRequest) -> Unit:
    unit = selectors.dispatch_target(user=request.user, pk=params.get_id(request.POST, "to_unit"))
    if unit is None:
        raise services.CaseError(_("请选择承办单位。"))
    return unit


def _dispatch(request: HttpRequest) -> dict[str, Any]:
    return {"to_unit": _target(request), **_note(request)}


def _transfer(request: HttpRequest) -> dict[str, Any]:
    return {"to_unit": _target(request), **_reason(request)}


def _merge(request: HttpRequest) -> dict[str, Any]:
    code = params.clean_text(request.POST.get("into"), max_length=20).upper()
    into = selectors.merge_target(user=request.user, code=code)
    if into is None:
        raise services.CaseError(_("没有找到要合并到的诉求查询码。"))
    return {"into": into}


def _extension_request(request: HttpRequest) -> dict[str, Any]:
    until = params.parse_datetime(request.POST.get("until", ""))
    if until is None:
        raise services.CaseError(_("请填写延期后的时限。"))
    return {"until": until, **_reason(request)}


def _extension_decide(request: HttpRequest) -> dict[str, Any]:
    return {"approve": request.POST.get("approve") == "1", **_note(request)}


ACTIONS: dict[str, Step] = {
    "accept": Step(services.case_accept, _none),
    "start": Step(services.case_start, _note),
    "resolve": Step(services.case_resolve, _resolution),
    "dispatch": Step(services.case_dispatch, _dispatch),
    "transfer": Step(services.case_transfer, _transfer),
    "send_back": Step(services.case_send_back, _send_back),
    "escalate": Step(services.case_escalate, _reason),
    "reject": Step(services.case_reject, _reject),
    "merge": Step(services.case_merge, _merge),
    "close": Step(services.case_close, _note),
    "reopen": Step(services.case_reopen, _reason),
    "extension_request": Step(services.case_extension_request, _extension_request),
    "extension_decide": Step(services.case_extension_decide, _extension_decide),
    "note": Step(services.case_note, _note),
}
