"""URL kwargs of the Open311 routes (each format extension is one kwarg, ``fmt``).

Every Open311 route is public (the spec's anonymous reads; the api_key is checked inside): the
walk proves that a sibling subtree's session sees no personal data through them, and the owner
walk that they answer.
"""

from __future__ import annotations


def _category_code() -> str:
    from tests.cases.factories import ensure_categories

    ensure_categories()
    return "infra-light"


def _submission(w):
    """A request town A's 12345 platform posted through Open311 (reused within a test)."""
    from lianxin.open311.models import Submission
    from lianxin.open311.services import RequestInput, open311_request_create
    from tests.integrations.factories import make_token

    existing = Submission.objects.select_related("case").first()
    if existing is not None:
        return existing
    from lianxin.integrations.auth import authenticate_token

    _category_code()
    raw, token = make_token(w.town_a, ["cases.submit_case"], name="路由测试平台")
    user = authenticate_token(raw)
    _case, submission, _created = open311_request_create(
        user=user,
        integration=token.integration,
        data=RequestInput(
            service_code="infra-road",
            description="东关金丝雀道路坑洼，请修。",
            lat=34.715,
            lng=104.885,
            phone="13877776666",
        ),
    )
    return submission


ROUTE_KWARGS = {
    "open311:discovery": lambda w: {"fmt": "xml"},
    "open311:services": lambda w: {"fmt": "json"},
    "open311:service_definition": lambda w: {"service_code": _category_code(), "fmt": "xml"},
    "open311:requests": lambda w: {"fmt": "json"},
    "open311:request_detail": lambda w: {
        "service_request_id": _submission(w).case.code,
        "fmt": "json",
    },
    "open311:token_detail": lambda w: {"token": _submission(w).token, "fmt": "xml"},
}
