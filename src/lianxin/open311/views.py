"""Open311 GeoReport v2 endpoints at ``/open311/v2/`` (http://wiki.open311.org/GeoReport_v2).

=================================  =========================================================
``GET services.{json,xml}``        our active categories; ``metadata`` true when a category
                                   has attributes; ``group`` is the parent category
``GET services/{code}.{fmt}``      the category's attributes (datatype, required, values)
``POST requests.{fmt}``            a new request (``api_key`` required), through the intake
``GET requests.{fmt}``             ``service_request_id`` (comma list, overrides the rest),
                                   ``service_code``, ``start_date``/``end_date`` (W3C; default
                                   the last 90 days; at most 90 days apart), ``status``
``GET requests/{id}.{fmt}``        one request (a list of one, as the spec says)
``GET tokens/{token}.{fmt}``       the request id behind the token returned at submission
``GET ../discovery.{fmt}``         the Service Discovery document (at /open311/)
=================================  =========================================================

Access (决定与理由):

* ``api_key`` is an integration token (``lianxin.integrations``), in the form body for POST and
  in the query string for GET (or ``Authorization: Bearer``). POST needs the token's
  ``cases.submit_case``; reading with a token needs ``cases.view_case`` and returns only the
  requests of the token's unit (``org.scoping``, as the unit's staff see them), with the
  place, grid code and media link. An invalid key is the spec's 403, a spent rate limit 429.
* 无 api_key 的查询（匿名）：与公开的办理进度页（``cases:track``）一致——只返回以查询码
  （``service_request_id``）点名的诉求；不按时间或分类列出全县诉求（列表为空）。字段只有
  公开的部分：标题（代替描述）、状态、公开办理记录、承办单位、时间、所在村（社区）；没有
  具体地点、坐标和图片链接。
* 任何情况下都不输出个人信息：不含联系人姓名、电话、邮箱；文本中的手机号、身份证号经
  ``core.masking.mask_numbers`` 遮蔽。A logged-in browser session counts for nothing here
  (no cookie authority, so no CSRF exposure: the views are ``csrf_exempt``).
* ``jurisdiction_id`` is accepted and ignored: one deployment is one jurisdiction.

Errors are the spec's: ``[{"code": 400, "description": "…"}]`` or
``<errors><error><code>400</code><description>…</description></error></errors>`` with the
same HTTP status, descriptions in Chinese.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from lianxin.core.decorators import public_view
from lianxin.core.params import parse_datetime
from lianxin.integrations.auth import RateLimited, authenticate_token
from lianxin.open311 import present, selectors
from lianxin.open311.formats import render, render_error
from lianxin.open311.services import Open311Error, RequestInput, open311_request_create

READ_PERM = "cases.view_case"
SUBMIT_PERM = "cases.submit_case"
ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]{1,40})\](\[\])?$")
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{1,48}$")
FIELD_MAX = 4000


def open311_view(*methods: str) -> Callable:
    """Public (the token is checked inside), CSRF-exempt, errors in the spec's format, never
    cached (a request's state changes; a token-scoped body is the caller's)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, fmt: str = "json", **kwargs) -> HttpResponse:
            if request.method not in methods:
                response = render_error(fmt, 405, _("不支持 %(m)s 方法。") % {"m": request.method})
                response["Allow"] = ", ".join(methods)
            else:
                try:
                    response = view(request, *args, fmt=fmt, **kwargs)
                except Open311Error as exc:
                    response = render_error(fmt, exc.code, exc.description)
                    for name, value in exc.headers.items():
                        response[name] = value
            response["Cache-Control"] = "no-store"
            response.personal_data = True  # type: ignore[attr-defined]
            return response

        return public_view(csrf_exempt(wrapper))

    return decorator


def _raw_key(request: HttpRequest) -> str:
    raw = request.POST.get("api_key", "") if request.method == "POST" else ""
    raw = raw or request.GET.get("api_key", "")
    auth = request.headers.get("Authorization", "")
    if not raw and auth.lower().startswith("bearer "):
        raw = auth[7:]
    return raw.strip()[:200]


def _token_user(request: HttpRequest, perm: str, *, required: bool):
    """The api_key's service user (None without a key, when allowed); 403/429 in the spec's
    format otherwise."""
    raw = _raw_key(request)
    if not raw:
        if required:
            raise Open311Error(403, _("缺少 api_key。"))
        return None
    try:
        user = authenticate_token(raw, request)
    except RateLimited as exc:
        raise Open311Error(
            429,
            _("该 api_key 调用过于频繁，请稍后再试。"),
            headers={"Retry-After": str(exc.retry_after)},
        ) from None
    if user is None:
        raise Open311Error(403, _("api_key 无效、已过期或已吊销。"))
    if not user.has_perm(perm):
        raise Open311Error(403, _("该 api_key 没有 %(perm)s 权限。") % {"perm": perm})
    return user


def _text(data, name: str, limit: int = 200) -> str:
    value = data.get(name, "")
    value = value.strip() if isinstance(value, str) else ""
    if len(value) > limit:
        raise Open311Error(400, _("%(f)s 不能超过 %(n)d 个字符。") % {"f": name, "n": limit})
    return value


def _list(data, name: str, *, limit: int) -> tuple[str, ...]:
    items = [v.strip() for v in _text(data, name, 4000).split(",") if v.strip()]
    if len(items) > limit:
        raise Open311Error(400, _("%(f)s 最多 %(n)d 个。") % {"f": name, "n": limit})
    return tuple(dict.fromkeys(v[:40] for v in items))


def _moment(data, name: str):
    raw = _text(data, name, 60)
    if not raw:
        return None
    value = parse_datetime(raw)
    if value is None:
        raise Open311Error(
            400, _("%(f)s 应为 W3C 日期时间，如 2026-11-18T00:00:00+08:00。") % {"f": name}
        )
    return value


def _coordinate(data, name: str, bound: float) -> float | None:
    raw = _text(data, name, 40)
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > bound:
        raise Open311Error(400, _("%(f)s 不是有效的坐标。") % {"f": name})
    return value


# --- discovery and services ---

CHANGESET = "2026-12-03T00:00:00+08:00"  # when this endpoint's behaviour last changed


@open311_view("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """The Service Discovery document the spec requires beside a GeoReport endpoint."""
    url = request.build_absolute_uri(reverse("open311:services", kwargs={"fmt": "json"}))
    row = {
        "changeset": CHANGESET,
        "contact": _("对接事宜请联系县级管理员（对接管理）。"),
        "key_service": _("api_key 即对接令牌，由县级管理员在“对接管理”中创建。"),
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": url.rsplit("/", 1)[0],
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, [row], root="discovery", item=None)


@open311_view("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = [present.service_row(c) for c in selectors.service_list()]
    return render(fmt, rows, root="services", item="service")


@open311_view("GET")
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    category = selectors.service_get(code=service_code)
    if category is None:
        raise Open311Error(404, _("没有编码为 %(c)s 的服务。") % {"c": service_code[:40]})
    return render(fmt, [present.definition_row(category)], root="service_definition", item=None)


# --- requests ---------------------------------------------------------------------------


def _request_input(request: HttpRequest) -> RequestInput:
    post = request.POST
    attributes: dict[str, list[str]] = {}
    for key in post:
        m = ATTRIBUTE_KEY.match(key)
        if m:
            values = [v.strip() for v in post.getlist(key)]
            if any(len(v) > 1000 for v in values) or len(values) > 50:
                raise Open311Error(400, _("%(f)s 过长。") % {"f": key[:60]})
            attributes.setdefault(m.group(1), []).extend(values)
        elif key.startswith("attribute"):
            raise Open311Error(400, _("无法识别的字段 %(f)s。") % {"f": key[:60]})
    key = request.headers.get("Idempotency-Key", "").strip()
    if key and not IDEMPOTENCY_KEY.match(key):
        raise Open311Error(400, _("Idempotency-Key 应为 1–48 个字母、数字、- 或 _。"))
    return RequestInput(
        service_code=_text(post, "service_code", 40),
        description=_text(post, "description", FIELD_MAX),
        lat=_coordinate(post, "lat", 90),
        lng=_coordinate(post, "long", 180),
        address_string=_text(post, "address_string", 200),
        address_id=_text(post, "address_id", 40),
        attributes=attributes,
        media_url=_text(post, "media_url", 500),
        first_name=_text(post, "first_name", 25),
        last_name=_text(post, "last_name", 25),
        phone=_text(post, "phone", 20),
        idempotency_key=key,
    )


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    user = _token_user(request, SUBMIT_PERM, required=True)
    data = _request_input(request)
    case, submission, created = open311_request_create(
        user=user, integration=request.integration, data=data
    )
    track = request.build_absolute_uri(reverse("cases:track", args=[case.code]))
    row = {
        "service_request_id": case.code,
        "token": submission.token,
        "service_notice": _("已受理，查询码 %(code)s，办理进度：%(url)s")
        % {"code": case.code, "url": track},
        "account_id": "",
    }
    return render(
        fmt, [row], root="service_requests", item="request", status=201 if created else 200
    )


def _list_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    user = _token_user(request, READ_PERM, required=False)
    params = request.GET
    statuses = _list(params, "status", limit=2)
    if any(s not in ("open", "closed") for s in statuses):
        raise Open311Error(400, _("status 只能是 open 或 closed。"))
    filters = selectors.RequestFilters(
        ids=tuple(v.upper() for v in _list(params, "service_request_id", limit=selectors.MAX_IDS)),
        service_codes=_list(params, "service_code", limit=50),
        start=_moment(params, "start_date"),
        end=_moment(params, "end_date"),
        statuses=statuses,
    )
    try:
        cases = selectors.request_list(user=user, filters=filters)
    except selectors.WindowError as exc:
        raise Open311Error(400, str(exc)) from None
    rows = [present.request_row(c, full=user is not None) for c in cases]
    return render(fmt, rows, root="service_requests", item="request")


@open311_view("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    return _list_requests(request, fmt)


@open311_view("GET")
def request_detail(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    user = _token_user(request, READ_PERM, required=False)
    case = selectors.request_get(user=user, code=service_request_id.upper()[:20])
    if case is None:
        raise Open311Error(404, _("没有该诉求：%(id)s。") % {"id": service_request_id[:20]})
    row = present.request_row(case, full=user is not None)
    return render(fmt, [row], root="service_requests", item="request")


@open311_view("GET")
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    submission = selectors.submission_by_token(token=token[:40])
    if submission is None:
        raise Open311Error(404, _("没有该受理令牌。"))
    row = {"service_request_id": submission.case.code, "token": submission.token}
    return render(fmt, [row], root="service_requests", item="request")
