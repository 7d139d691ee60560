"""URL kwargs for every 诉求 route, each pointing at a request in town A's subtree."""

from __future__ import annotations

CANARY_TITLE = "东关金丝雀诉求"
CANARY_NOTE = "金丝雀内部备注"
CANARY_PHONE = "13877776666"


def case_a(w):
    """One request in grid A1 (reused within a test), accepted, with an internal note and a photo."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from lianxin.cases import services as s
    from lianxin.cases.models import Case, Category
    from tests.cases.factories import ensure_categories

    existing = Case.objects.filter(idempotency_key="route-canary").first()
    if existing is not None:
        return existing
    ensure_categories()
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, format="PNG")
    case, _ = s.case_submit(
        title=CANARY_TITLE,
        description="东关小区金丝雀描述，路灯坏了",
        category=Category.objects.get(code="infra-light"),
        grid=w.grid_a1,
        channel="resident",
        reporter=w.users["resident_a"],
        reporter_name="甲居民",
        reporter_phone=CANARY_PHONE,
        idempotency_key="route-canary",
        photos=[SimpleUploadedFile("a.png", buf.getvalue(), content_type="image/png")],
    )
    s.case_accept(case=case, actor=w.users["grid_a1"])
    s.case_note(case=case, actor=w.users["grid_a1"], note=CANARY_NOTE)
    return case


def case_resolved_with_photo(w):
    """A second request in grid A1, resolved by its grid worker with a 办结照片 (the public one)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from lianxin.cases import services as s
    from lianxin.cases.models import Case
    from tests.cases.factories import make_case

    existing = Case.objects.filter(idempotency_key="route-result").first()
    if existing is not None:
        return existing
    case = make_case(w, title="东关路灯已修复", idempotency_key="route-result")
    s.case_accept(case=case, actor=w.users["grid_a1"])
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, format="PNG")
    upload = SimpleUploadedFile("r.png", buf.getvalue(), content_type="image/png")
    return s.case_resolve(
        case=case, actor=w.users["grid_a1"], resolution="已更换灯泡", result_photo=upload
    )


def _reply_pk() -> int:
    from lianxin.cases.models import CannedReply

    row = CannedReply.objects.filter(text="路由常用语").first()
    if row is None:
        row = CannedReply.objects.create(purpose="resolve", text="路由常用语")
    return row.pk


ROUTE_KWARGS = {
    "cases:track": lambda w: {"code": case_a(w).code},
    "cases:evaluate": lambda w: {"code": case_a(w).code},
    "cases:case_detail": lambda w: {"pk": case_a(w).pk},
    "cases:case_action": lambda w: {"pk": case_a(w).pk, "action": "resolve"},
    "cases:reporter_reveal": lambda w: {"pk": case_a(w).pk},
    "cases:photo": lambda w: {"token": case_a(w).photos.get().token},
    "cases:poster": lambda w: {"pk": w.village_a.pk},
    "api:cases_detail": lambda w: {"pk": case_a(w).pk},
    # The steps of the API (cases/api_actions.py), on the same request.
    **{
        f"api:cases_{step}": (lambda w: {"pk": case_a(w).pk})
        for step in (
            "accept",
            "start",
            "dispatch",
            "transfer",
            "send_back",
            "escalate",
            "reject",
            "resolve",
            "close",
            "reopen",
            "evaluate",
            "merge",
            "extension_request",
            "extension_decide",
            "note",
            "photos",
        )
    },
    # The county-wide category table: only the county administrator may open these.
    "cases:category_edit": lambda w: {"pk": _category_pk()},
    "cases:category_rules": lambda w: {"pk": _category_pk()},
    "cases:category_deactivate": lambda w: {"pk": _category_pk()},
    "cases:category_activate": lambda w: {"pk": _category_pk()},
    "cases:category_delete": lambda w: {"pk": _category_pk()},
    # 回访 and 办结照片 (cases/views/callbacks.py), 常用语 (cases/views_replies.py).
    "cases:callback_record": lambda w: {"pk": case_a(w).pk},
    "cases:result_photo": lambda w: {
        "code": (c := case_resolved_with_photo(w)).code,
        "token": c.photos.get(kind="result").token,
    },
    "cases:reply_edit": lambda w: {"pk": _reply_pk()},
    "cases:reply_deactivate": lambda w: {"pk": _reply_pk()},
    "cases:reply_activate": lambda w: {"pk": _reply_pk()},
}


# Who owns the objects when it is not town A's staff (the positive control of the route walk).
ROUTE_OWNERS = {
    # The grid worker accepted the request: resolving it is the handler's.
    "cases:case_action": "grid_a1",
    "api:cases_start": "grid_a1",  # the owner alone starts it
    "cases:category_edit": "county_admin",
    "cases:category_rules": "county_admin",
    "cases:category_deactivate": "county_admin",
    "cases:category_activate": "county_admin",
    "cases:category_delete": "county_admin",
    "cases:reply_edit": "county_admin",
    "cases:reply_deactivate": "county_admin",
    "cases:reply_activate": "county_admin",
}


def _category_pk() -> int:
    from tests.cases.factories import category

    return category("infra-light").pk


def CANARIES(w):  # noqa: N802
    case_a(w)
    return [CANARY_TITLE, CANARY_NOTE, CANARY_PHONE]
