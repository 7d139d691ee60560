"""The steps on one request through the API: ``POST /cases/{pk}/<step>``, the workbench's
panel as JSON.

Each operation calls the service the panel calls (``services.case_accept`` …) with the same
arguments, read from a JSON body; who may act and from which state is the service's business
(``services.authority``, ``services.machine``), never this module's. The order is the same
everywhere and is what the route walk relies on: the named permission (403), then the request
through the scoped selector (404 outside the caller's subtree), then the body (422), then the
service (409 for a refused step, 403 when the object rule says no).

The body is read after the lookup, so a request outside the caller's reach answers 404 whatever
is posted (``lianxin.api.responses.read_body``); ``body_doc`` declares it, so the document
stays exact, and every operation declares its error statuses (``WRITE_ERRORS``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from lianxin.api.guards import require_perm, service_refusal_as_409
from lianxin.api.responses import READ_ERRORS, WRITE_ERRORS, body_doc, errors, read_body
from lianxin.cases import limits, selectors, services
from lianxin.cases.api_schemas import (
    CaseDetailOut,
    CaseDispatchIn,
    CaseEvaluateIn,
    CaseEventOut,
    CaseExtensionDecideIn,
    CaseExtensionRequestIn,
    CaseMergeIn,
    CaseNoteIn,
    CaseNoteOptionalIn,
    CasePhotoOut,
    CaseReasonIn,
    CaseResolveIn,
    CaseTransferIn,
)
from lianxin.cases.models import Case
from lianxin.core.params import Id

router = Router(tags=["cases"])


def _handled(request, pk: int) -> Case:
    """A request the caller may work on: ``cases.handle_case``, inside their scope."""
    require_perm(request, "cases.handle_case")
    return selectors.case_get(user=request.user, pk=pk)


def _target(request, pk: int):
    """The unit of a dispatch or transfer, among the panel's targets (``dispatch_targets``)."""
    unit = selectors.dispatch_target(user=request.user, pk=pk)
    if unit is None:
        raise HttpError(422, _("请选择承办单位（本辖区的下级单位或职能部门）。"))
    return unit


def _step(request, pk: int, do: Callable[[Case], Case]) -> Case:
    case = _handled(request, pk)
    with service_refusal_as_409():
        return do(case)


def _action(path: str, name: str, summary: str, body: type[Schema] | None = None):
    return router.post(
        path,
        response={200: CaseDetailOut, **WRITE_ERRORS},
        url_name=name,
        summary=summary,
        openapi_extra=body_doc(body) if body is not None else None,
    )


@_action("/{pk}/accept", "cases_accept", "签收")
def accept(request, pk: Id):
    """签收: the caller becomes the owner (首问责任); a request someone else signed is 409."""
    return _step(request, pk, lambda c: services.case_accept(case=c, actor=request.user))


@_action("/{pk}/start", "cases_start", "开始办理", CaseNoteOptionalIn)
def start(request, pk: Id):
    case = _handled(request, pk)
    body = read_body(request, CaseNoteOptionalIn)
    with service_refusal_as_409():
        return services.case_start(case=case, actor=request.user, note=body.note)


@_action("/{pk}/dispatch", "cases_dispatch", "派单", CaseDispatchIn)
def dispatch(request, pk: Id):
    """派单 down the tree (inside the caller's subtree) or across to a department."""
    case = _handled(request, pk)
    body = read_body(request, CaseDispatchIn)
    to_unit = _target(request, body.to_unit)
    with service_refusal_as_409():
        return services.case_dispatch(
            case=case, actor=request.user, to_unit=to_unit, note=body.note
        )


@_action("/{pk}/transfer", "cases_transfer", "转办", CaseTransferIn)
def transfer(request, pk: Id):
    case = _handled(request, pk)
    body = read_body(request, CaseTransferIn)
    to_unit = _target(request, body.to_unit)
    with service_refusal_as_409():
        return services.case_transfer(
            case=case, actor=request.user, to_unit=to_unit, reason=body.reason
        )


@_action("/{pk}/send_back", "cases_send_back", "退回", CaseReasonIn)
def send_back(request, pk: Id):
    """退回 to the unit that sent it, once per request."""
    case = _handled(request, pk)
    body = read_body(request, CaseReasonIn)
    with service_refusal_as_409():
        return services.case_send_back(case=case, actor=request.user, reason=body.reason)


@_action("/{pk}/escalate", "cases_escalate", "上报", CaseReasonIn)
def escalate(request, pk: Id):
    case = _handled(request, pk)
    body = read_body(request, CaseReasonIn)
    with service_refusal_as_409():
        return services.case_escalate(case=case, actor=request.user, reason=body.reason)


@_action("/{pk}/reject", "cases_reject", "不予受理", CaseReasonIn)
def reject(request, pk: Id):
    case = _handled(request, pk)
    body = read_body(request, CaseReasonIn)
    with service_refusal_as_409():
        return services.case_reject(case=case, actor=request.user, reason=body.reason)


@_action("/{pk}/resolve", "cases_resolve", "办结", CaseResolveIn)
def resolve(request, pk: Id):
    """办结: the owner alone; the resident may then rate it for seven days."""
    case = _handled(request, pk)
    body = read_body(request, CaseResolveIn)
    with service_refusal_as_409():
        return services.case_resolve(case=case, actor=request.user, resolution=body.resolution)


@_action("/{pk}/close", "cases_close", "关闭", CaseNoteOptionalIn)
def close(request, pk: Id):
    case = _handled(request, pk)
    body = read_body(request, CaseNoteOptionalIn)
    with service_refusal_as_409():
        return services.case_close(case=case, actor=request.user, note=body.note)


@_action("/{pk}/reopen", "cases_reopen", "重新办理", CaseReasonIn)
def reopen(request, pk: Id):
    case = _handled(request, pk)
    body = read_body(request, CaseReasonIn)
    with service_refusal_as_409():
        return services.case_reopen(case=case, actor=request.user, reason=body.reason)


@_action("/{pk}/merge", "cases_merge", "合并", CaseMergeIn)
def merge(request, pk: Id):
    """合并 a duplicate into another open request the caller sees (by its tracking code)."""
    case = _handled(request, pk)
    body = read_body(request, CaseMergeIn)
    code = body.into.replace(" ", "").replace("-", "").upper()
    into = selectors.merge_target(user=request.user, code=code)
    if into is None:
        raise HttpError(422, _("没有找到要合并到的诉求查询码。"))
    with service_refusal_as_409():
        return services.case_merge(case=case, actor=request.user, into=into)


@_action("/{pk}/extension_request", "cases_extension_request", "申请延期", CaseExtensionRequestIn)
def extension_request(request, pk: Id):
    case = _handled(request, pk)
    body = read_body(request, CaseExtensionRequestIn)
    with service_refusal_as_409():
        return services.case_extension_request(
            case=case, actor=request.user, until=body.until, reason=body.reason
        )


@_action("/{pk}/extension_decide", "cases_extension_decide", "审批延期", CaseExtensionDecideIn)
def extension_decide(request, pk: Id):
    """The level above approves (the completion deadline moves) or refuses."""
    case = _handled(request, pk)
    body = read_body(request, CaseExtensionDecideIn)
    with service_refusal_as_409():
        return services.case_extension_decide(
            case=case, actor=request.user, approve=body.approve, note=body.note
        )


@router.post(
    "/{pk}/evaluate",
    response={200: CaseDetailOut, **WRITE_ERRORS, **errors(429)},
    url_name="cases_evaluate",
    summary="群众评价",
    openapi_extra=body_doc(CaseEvaluateIn),
)
def evaluate(request, pk: Id):
    """评价 by the reporter (signed in, or giving the phone they left: a platform relaying the
    rating a resident gave by phone). 不满意 reopens it to the level above."""
    require_perm(request, "cases.view_own_case")
    case = selectors.case_get_evaluable(user=request.user, pk=pk)
    body = read_body(request, CaseEvaluateIn)
    # The phone check must not be guessable by brute force (the page's limit, cases.limits);
    # an integration relaying ratings is limited per token instead.
    relayed = getattr(request, "integration", None) is not None
    if body.phone and not relayed and limits.intake_limited(request, "evaluate"):
        raise HttpError(429, _("提交过于频繁，请稍后再试，或拨打便民服务热线。"))
    with service_refusal_as_409():
        return services.case_evaluate(
            case=case,
            rating=body.rating,
            comment=body.comment,
            user=request.user,
            phone=body.phone,
        )


@router.post(
    "/{pk}/note",
    response={201: CaseEventOut, **WRITE_ERRORS},
    url_name="cases_note",
    summary="内部备注",
    openapi_extra=body_doc(CaseNoteIn),
)
def note(request, pk: Id):
    """An internal note (staff see it; the resident and the public page never do)."""
    case = _handled(request, pk)
    body = read_body(request, CaseNoteIn)
    with service_refusal_as_409():
        event = services.case_note(case=case, actor=request.user, note=body.note)
    return Status(201, event)


@router.get(
    "/{pk}/photos",
    response={200: list[CasePhotoOut], **READ_ERRORS},
    url_name="cases_photos",
    summary="照片列表",
)
def photos(request, pk: Id):
    require_perm(request, "cases.view_case")
    case = selectors.case_get(user=request.user, pk=pk)
    return list(selectors.case_photos(case=case))


@router.post(
    "/{pk}/photos",
    response={201: CasePhotoOut, **WRITE_ERRORS},
    url_name="cases_photos",
    summary="上传照片",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "photo": {
                                "type": "string",
                                "format": "binary",
                                "description": "JPEG、PNG 或 WebP，不超过 8 MB",
                            }
                        },
                        "required": ["photo"],
                    }
                }
            },
        }
    },
)
def photo_add(request, pk: Id):
    """A photo of the request (multipart ``photo``): type, size and pixels checked and the image
    re-encoded before anything is stored (core.photos); a file that does not clean is 422."""
    case = _handled(request, pk)
    upload = request.FILES.get("photo")
    if upload is None:
        raise HttpError(422, _("请选择要上传的照片（表单字段 photo）。"))
    try:
        photo = services.case_photo_add(case=case, upload=upload, actor=request.user)
    except services.CaseError as exc:
        raise HttpError(422, exc.messages[0]) from exc
    return Status(201, photo)
