"""The 诉求 API: list, detail and intake here, the steps on one request in ``api_actions``.

Scoped exactly like the pages, through the same selectors and services: a request outside the
caller's subtree is the selector's 404, a missing permission 403, a step the state machine
refuses (``CaseError``) 409. Shapes are in ``api_schemas``.

Intake (``POST /cases/``) is idempotent: the key (header ``Idempotency-Key``, or the body's
``idempotency_key``) is the caller's own — stored per caller, so two callers' keys never meet —
and a retry with the same key and the same content answers 200 with the first request, never a
second row; the same key with other content is 409.
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status
from ninja.errors import HttpError

from lianxin.api.guards import require_perm
from lianxin.api.paging import PageParams
from lianxin.api.responses import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, errors
from lianxin.cases import limits, selectors, services
from lianxin.cases.api_actions import router as actions_router
from lianxin.cases.api_schemas import CaseDetailOut, CaseIn, CaseOut, CaseQuery
from lianxin.cases.models import Case
from lianxin.cases.signals import api_case_created
from lianxin.core.params import Id, Token
from lianxin.org.geo import grid_locate
from lianxin.org.models import Unit
from lianxin.org.scoping import user_scope

router = Router(tags=["cases"])


@router.get(
    "/", response={200: list[CaseOut], **LIST_ERRORS}, url_name="cases_list", summary="诉求列表"
)
def case_list(request, page: Query[PageParams], filters: Query[CaseQuery]):
    """The workbench's list and filters (state, category, unit, grid, submitted date range,
    overdue), newest first unless ``sort`` says otherwise."""
    require_perm(request, "cases.view_case")
    qs = selectors.case_list(user=request.user, filters=filters.filters())
    return page.slice(qs)


@router.get(
    "/{pk}",
    response={200: CaseDetailOut, **READ_ERRORS},
    url_name="cases_detail",
    summary="诉求详情",
)
def case_detail(request, pk: Id):
    require_perm(request, "cases.view_case")
    return selectors.case_get(user=request.user, pk=pk)


def _stored_key(user, key: str) -> str:
    """The caller's key as stored: one namespace per caller, fixed length (the column is 64)."""
    return "api:" + hashlib.sha256(f"{user.pk}:{key}".encode()).hexdigest()[:56]


def _grid(request, payload: CaseIn, *, staff: bool) -> Unit:
    """The grid, by id or by point; staff and integrations only inside their own subtree."""
    user = request.user
    if payload.grid is not None:
        grid = selectors.intake_grid(pk=payload.grid, user=user if staff else None)
    elif payload.lat is not None and payload.lng is not None:
        grid = grid_locate(lng=payload.lng, lat=payload.lat)
        if grid is not None and staff and not user_scope(user).covers(grid):
            grid = None
    else:
        raise HttpError(422, _("请填写所在网格（grid），或经纬度（lat、lng）。"))
    if grid is None:
        raise HttpError(
            422,
            _("只能登记本辖区网格内的诉求。") if staff else _("所选位置不在任何网格内。"),
        )
    return grid


@router.post(
    "/",
    response={200: CaseDetailOut, 201: CaseDetailOut, **WRITE_ERRORS, **errors(429)},
    url_name="cases_list",
    summary="提交诉求（幂等）",
)
def case_create(
    request,
    payload: CaseIn,
    idempotency_key: Annotated[Token | None, Header(alias="Idempotency-Key")] = None,
):
    """A new request: 201 with it, or 200 with the first one when the key was used before for
    the same content. Staff (``cases.enter_case``) register it in their subtree and own it
    (首问责任), a grid worker on patrol likewise; an integration's request enters the grid's
    queue (channel 开放接口); a resident (``cases.submit_case``) reports their own, within the
    intake page's limits (``cases.limits``: per address and per phone, 429 past them).
    After a creation ``cases.signals.api_case_created`` is sent (integrations record the origin).
    """
    user = request.user
    via_integration = getattr(request, "integration", None) is not None
    staff = user.has_perm("cases.enter_case")
    if not staff:
        # An integration acts for its unit: it registers requests as staff do, or not at all.
        require_perm(request, "cases.enter_case" if via_integration else "cases.submit_case")
    key = idempotency_key or payload.idempotency_key
    if idempotency_key and payload.idempotency_key and idempotency_key != payload.idempotency_key:
        raise HttpError(422, _("请求头与请求体中的幂等键不一致。"))
    if not staff and (
        limits.intake_limited(request) or limits.phone_limited(payload.reporter_phone)
    ):
        raise HttpError(429, _("提交过于频繁，请稍后再试，或拨打便民服务热线。"))
    category = selectors.category_choices().filter(pk=payload.category).first()
    if category is None:
        raise HttpError(422, _("请选择有效的诉求分类。"))
    grid = _grid(request, payload, staff=staff)
    channel = services.intake_channel(user, via_integration=via_integration)
    try:
        with transaction.atomic():
            case, created = services.case_submit(
                title=payload.title,
                description=payload.description,
                category=category,
                grid=grid,
                channel=channel,
                reporter=None if staff else user,
                created_by=user if staff else None,
                reporter_name=payload.reporter_name,
                reporter_phone=payload.reporter_phone,
                priority=payload.priority if staff else None,
                address=payload.address,
                lat=payload.lat,
                lng=payload.lng,
                idempotency_key=_stored_key(user, key) if key else None,
                refuse_changed=True,
            )
            if created:
                api_case_created.send(
                    sender=Case, case=case, request=request, external_id=payload.external_id
                )
    except services.IdempotencyConflict as exc:
        raise HttpError(409, exc.messages[0]) from exc
    except services.CaseError as exc:
        raise HttpError(422, exc.messages[0]) from exc
    return Status(201 if created else 200, selectors.case_get_evaluable(user=user, pk=case.pk))


router.add_router("", actions_router)
