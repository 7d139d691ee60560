"""Pages of the offline app: the shell, its manifest and service worker, the data and the sync.

The sync endpoints answer JSON only: 200 with the row's id (the first row again for a replayed
key), 400 with Chinese field errors the phone shows next to the refused item; never a 500 for
bad input.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lianxin.core.decorators import permission_required, public_view
from lianxin.field import selectors, services

STATIC_DIR = Path(__file__).resolve().parent / "static" / "field"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "field"
# The log-out pieces the shell includes (the confirm dialog and its script, from accounts).
_ACCOUNTS = Path(__file__).resolve().parent.parent / "accounts"
SHARED_FILES = (
    _ACCOUNTS / "static" / "accounts" / "logout.js",
    _ACCOUNTS / "templates" / "accounts" / "partials" / "logout_confirm.html",
    _ACCOUNTS / "templates" / "accounts" / "partials" / "logout_dialog.html",
)
# The response header naming the page's user: the service worker drops a page cached for
# another user (templates/field/sw.js), so a shared phone never shows it to the next one.
USER_HEADER = "X-Lianxin-User"
# The shell's own assets, precached by the service worker (names as in static/).
SHELL_ASSETS = (
    "bootstrap/css/bootstrap.min.css",
    "field/field.css",
    "field/field.js",
    "accounts/logout.js",
    "field/icon-192.png",
    "field/icon-512.png",
)


@cache
def shell_version() -> str:
    """A digest of the shell's files: a new release makes a new cache and drops the old one."""
    digest = hashlib.sha256()
    for path in sorted([*STATIC_DIR.iterdir(), *TEMPLATE_DIR.iterdir(), *SHARED_FILES]):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _labels() -> dict[str, str]:
    return {
        "queued": _("待发送"),
        "sending": _("发送中"),
        "sent": _("已发送"),
        "refused": _("被退回"),
        "visit": _("走访"),
        "case": _("诉求"),
        "edit": _("修改后重发"),
        "remove": _("删除"),
        "online": _("在线"),
        "offline": _("离线：记录保存在本机，联网后自动发送"),
        "login": _("登录已过期，请联网后重新登录，队列会保留"),
        "saved": _("已保存到本机队列"),
        "no_data": _("尚未下载本网格数据，请联网打开本页一次"),
        "choose": _("请选择"),
        "photo": _("含照片"),
        "synced_at": _("数据更新于"),
        "unknown_error": _("提交被退回，请检查后重发"),
        "required_household": _("请选择走访户。"),
        "required_title": _("请写下诉求标题。"),
        "required_category": _("请选择诉求类别。"),
    }


@permission_required("visits.add_visit")
@require_GET
def shell(request):
    response = render(
        request,
        "field/shell.html",
        {"labels": _labels(), "version": shell_version()},
    )
    response[USER_HEADER] = str(request.user.pk)
    return response


@permission_required("visits.add_visit")
@require_GET
def data(request):
    payload = selectors.field_data(request.user)
    payload["csrf"] = get_token(request)
    payload["user"] = request.user.pk
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


@public_view
@require_GET
def manifest(request):
    """The web app manifest (fetched without cookies by the browser: nothing personal in it)."""
    body = {
        "name": _("连心桥·走访"),
        "short_name": _("走访"),
        "start_url": "/field/",
        "scope": "/field/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#dc3545",
        "lang": "zh-CN",
        "icons": [
            {"src": static("field/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("field/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@public_view
@require_GET
def service_worker(request):
    """The service worker, scoped to /field/ (served from there, so no Service-Worker-Allowed)."""
    response = render(
        request,
        "field/sw.js",
        {
            "version": shell_version(),
            "assets": [static(name) for name in SHELL_ASSETS],
            "user_header": USER_HEADER,
        },
        content_type="application/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response


def _int(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _float(raw) -> float | None:
    try:
        value = float(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return value if value is None or -180 <= value <= 180 else None


def _refused(exc: ValidationError) -> JsonResponse:
    if hasattr(exc, "error_dict"):
        errors = {field: msgs[0] for field, msgs in exc.message_dict.items()}
    else:
        errors = {"__all__": exc.messages[0]}
    return JsonResponse(
        {"errors": errors, "reason": "；".join(errors.values())},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


@permission_required("visits.add_visit")
@require_POST
def sync_visit(request):
    post = request.POST
    try:
        visit, created = services.field_visit_sync(
            actor=request.user,
            key=post.get("key"),
            household_id=_int(post.get("household")),
            kind=post.get("kind", ""),
            met=post.get("met", "")[:100],
            notes=post.get("notes", "")[:2000],
            needs=[n for n in post.getlist("needs") if n][:12],
            photo=request.FILES.get("photo"),
            lat=_float(post.get("lat")),
            lng=_float(post.get("lng")),
            request=request,
        )
    except ValidationError as exc:
        return _refused(exc)
    return JsonResponse({"id": visit.pk, "created": created, "kind": "visit"})


@permission_required("visits.add_visit")
@require_POST
def sync_case(request):
    post = request.POST
    try:
        case, created = services.field_case_sync(
            actor=request.user,
            key=post.get("key"),
            household_id=_int(post.get("household")),
            category_id=_int(post.get("category")),
            title=post.get("title", ""),
            description=post.get("description", ""),
            contact_phone=post.get("contact_phone", ""),
            photo=request.FILES.get("photo"),
            request=request,
        )
    except ValidationError as exc:
        return _refused(exc)
    return JsonResponse({"id": case.pk, "code": case.code, "created": created, "kind": "case"})
