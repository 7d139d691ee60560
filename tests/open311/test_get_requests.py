"""GET requests, requests/{id} and tokens/{token}: filters, the 90-day window, scoping, masking."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from lianxin.cases import services as s
from tests.cases.factories import make_case
from tests.clock import SHANGHAI
from tests.open311.conftest import light

REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI)  # tests.clock.PINNED_AT


@pytest.fixture
def posted(world, token_a, submit):
    """A request posted by the 12345 platform with a phone number typed into its text."""
    response = submit(
        token_a,
        light(
            description="路灯不亮，请回电 13800001111。",
            address_string="东关小区3号楼前",
            media_url="https://img.example.cn/1.jpg",
        ),
    )
    assert response.status_code == 201, response.content
    return response.json()[0]


def _get(client, path, **params):
    return client.get(f"/open311/v2/{path}", params)


def test_token_reads_its_request_in_full_but_masked(client, posted, token_a):
    response = _get(client, "requests.json", api_key=token_a)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    [row] = response.json()
    assert set(row) == REQUEST_FIELDS
    assert row["service_request_id"] == posted["service_request_id"]
    assert row["status"] == "open"
    assert row["service_code"] == "infra-light" and row["service_name"] == "路灯照明"
    assert row["agency_responsible"] == "东关第1网格"  # the grid's queue holds it
    assert row["status_notes"] == "提交诉求：开放接口"
    # W3C in China time, to the second, at the test clock's moment (it ticks: seconds after it)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", row["requested_datetime"])
    requested = datetime.fromisoformat(row["requested_datetime"])
    assert timedelta(0) <= timezone.now() - requested < timedelta(minutes=10)
    assert row["expected_datetime"].endswith("+08:00")
    assert row["address"] == "东关小区3号楼前"
    assert row["address_id"] == "620524100001-G01"
    assert row["lat"] == pytest.approx(34.715) and row["long"] == pytest.approx(104.885)
    assert row["media_url"] == "https://img.example.cn/1.jpg"
    assert row["description"].startswith("路灯不亮，请回电 138****1111。")
    body = response.content.decode()
    for personal in ("13800001111", "13912345678", "王大妈"):
        assert personal not in body


def test_the_reporter_is_never_in_a_body(client, posted, token_a):
    code = posted["service_request_id"]
    for path in ("requests.json", "requests.xml", f"requests/{code}.xml", f"requests/{code}.json"):
        for params in ({"api_key": token_a}, {"service_request_id": code}):
            response = _get(client, path, **params)
            assert response.status_code == 200
            text = response.content.decode()
            assert code in text
            for personal in ("13912345678", "王大妈", "13800001111"):
                assert personal not in text, (path, params, personal)


def test_anonymous_reads_by_tracking_code_only_the_public_fields(client, posted):
    code = posted["service_request_id"]
    assert _get(client, "requests.json").json() == []  # no listing of the county's requests
    [row] = _get(client, "requests.json", service_request_id=code.lower()).json()
    assert row["service_request_id"] == code
    assert row["description"] == "路灯不亮，请回电 138****1111"  # the title, as on the page
    assert row["address"] == "城关镇东关社区"  # the village, not the door
    assert row["lat"] is None and row["long"] is None
    assert row["address_id"] == "" and row["media_url"] == ""
    assert row["agency_responsible"] == "东关第1网格"
    [one] = _get(client, f"requests/{code}.json").json()
    assert one == row


def test_a_session_counts_for_nothing(client, login, world, posted):
    login(world.users["town_a"])
    assert _get(client, "requests.json").json() == []


def test_scoping_by_token_unit(client, world, posted, token_a, token_b):
    code = posted["service_request_id"]
    assert _get(client, "requests.json", api_key=token_b).json() == []
    assert _get(client, "requests.json", api_key=token_b, service_request_id=code).json() == []
    response = _get(client, f"requests/{code}.json", api_key=token_b)
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404
    assert _get(client, f"requests/{code}.json", api_key=token_a).status_code == 200
    # the county department's token sees what is dispatched to it only
    from tests.integrations.factories import make_token

    dept, _t = make_token(world.department, ["cases.view_case"], name="住建局系统")
    assert _get(client, "requests.json", api_key=dept).json() == []
    case = make_case(world)  # a resident's request in grid A1: the town token sees it too
    codes = {r["service_request_id"] for r in _get(client, "requests.json", api_key=token_a).json()}
    assert codes == {code, case.code}


def test_status_and_notes_follow_the_public_timeline(client, world, posted, token_a):
    from lianxin.cases.models import Case

    code = posted["service_request_id"]
    case = Case.objects.get(code=code)
    grid_worker = world.users["grid_a1"]
    s.case_accept(case=case, actor=grid_worker)
    s.case_note(case=case, actor=grid_worker, note="内部：已电话联系王大妈")
    [row] = _get(client, f"requests/{code}.json", api_key=token_a).json()
    assert row["status"] == "open"
    assert row["status_notes"] == "签收"  # the internal note is not public
    s.case_resolve(case=case, actor=grid_worker, resolution="已更换灯泡，恢复照明。")
    [row] = _get(client, f"requests/{code}.json", api_key=token_a).json()
    assert row["status"] == "closed"
    assert row["status_notes"] == "办结：已更换灯泡，恢复照明。"
    assert row["expected_datetime"] is None
    assert _get(client, "requests.json", api_key=token_a, status="open").json() == []
    [closed] = _get(client, "requests.json", api_key=token_a, status="closed").json()
    assert closed["service_request_id"] == code
    both = _get(client, "requests.json", api_key=token_a, status="open,closed").json()
    assert [r["service_request_id"] for r in both] == [code]


def test_service_code_and_id_filters(client, world, posted, token_a):
    road = make_case(world, cat="infra-road", title="道路坑洼")
    light_code = posted["service_request_id"]

    def codes(**params):
        return [
            r["service_request_id"]
            for r in _get(client, "requests.json", api_key=token_a, **params).json()
        ]

    assert codes(service_code="infra-road") == [road.code]
    assert set(codes(service_code="infra-road,infra-light")) == {road.code, light_code}
    assert set(codes(service_request_id=f"{road.code}, {light_code}")) == {road.code, light_code}
    # the id list overrides every other argument (spec)
    assert codes(service_request_id=road.code, service_code="infra-light", status="closed") == [
        road.code
    ]


@pytest.mark.clock(
    NOW
)  # the dates below are written out: a fixed instant, also in CI's 1st-of-month pass
def test_ninety_day_default_with_a_fixed_clock(client, world, token_a):
    old = make_case(world, now=NOW - timedelta(days=91))  # 2026-08-19 10:00
    recent = make_case(world, now=NOW - timedelta(days=89))  # 2026-08-21 10:00

    def codes(**params):
        response = _get(client, "requests.json", api_key=token_a, **params)
        assert response.status_code == 200, response.content
        return [r["service_request_id"] for r in response.json()]

    assert codes() == [recent.code]  # neither date: the most recent 90 days
    # a start alone: the 90 days after it; an end alone: the 90 days before it
    assert codes(start_date=(NOW - timedelta(days=100)).isoformat()) == [recent.code, old.code]
    assert codes(start_date="2026-08-20T10:00:00+08:00") == [recent.code]
    assert codes(end_date=(NOW - timedelta(days=90)).isoformat()) == [old.code]
    # both, in UTC or as dates (China time), up to 90 days apart
    assert codes(start_date="2026-08-19T01:00:00Z", end_date="2026-08-20T00:00:00Z") == [old.code]
    assert codes(start_date="2026-08-10", end_date="2026-11-01") == [recent.code, old.code]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90"),
        ({"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-05-01T00:00:00Z"}, "end_date"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "9999-12-31T00:00:00Z"}, "end_date"),
        ({"status": "pending"}, "status"),
        ({"service_request_id": ",".join(f"C{i}" for i in range(101))}, "service_request_id"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_filters_are_the_spec_400(client, world, attributes, params, words, fmt):
    response = _get(client, f"requests.{fmt}", **params)
    assert response.status_code == 400
    if fmt == "json":
        [error] = response.json()
        description = error["description"]
        assert error["code"] == 400
    else:
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        description = root.findtext("error/description")
    assert words in description


def test_xml_list_and_detail(client, posted, token_a):
    root = ET.fromstring(_get(client, "requests.xml", api_key=token_a).content)
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert {c.tag for c in request} == REQUEST_FIELDS
    assert request.findtext("status") == "open"
    assert request.findtext("lat") == "34.715"
    code = posted["service_request_id"]
    root = ET.fromstring(_get(client, f"requests/{code}.xml").content)
    assert root.find("request/service_request_id").text == code
    assert root.find("request/lat").text is None  # empty for an anonymous caller


def test_xml_escapes_what_a_resident_typed(client, world, token_a, submit):
    text = '水管<爆裂> & "漏水"\x07严重，已持续两天。'
    response = submit(token_a, light(description=text))
    assert response.status_code == 201
    root = ET.fromstring(_get(client, "requests.xml", api_key=token_a).content)
    assert root.findtext("request/description").startswith('水管<爆裂> & "漏水"严重')


def test_unknown_request_is_404(client, world, attributes, token_a):
    for params in ({}, {"api_key": token_a}):
        response = _get(client, "requests/ABCDEFGHJK.xml", **params)
        assert response.status_code == 404
        assert ET.fromstring(response.content).findtext("error/code") == "404"


def test_token_to_request_id(client, world, token_a, submit):
    row = submit(token_a).json()[0]
    [found] = _get(client, f"tokens/{row['token']}.json").json()
    assert found == {"service_request_id": row["service_request_id"], "token": row["token"]}
    root = ET.fromstring(_get(client, f"tokens/{row['token']}.xml").content)
    assert root.findtext("request/service_request_id") == row["service_request_id"]
    response = _get(client, "tokens/no-such-token.json")
    assert response.status_code == 404 and response.json()[0]["code"] == 404


def test_list_reads_in_a_fixed_number_of_queries(
    client, world, token_a, submit, django_assert_max_num_queries
):
    for i in range(5):
        assert (
            submit(token_a, light(description=f"第{i}盏路灯不亮了，请尽快修理。")).status_code
            == 201
        )
    with django_assert_max_num_queries(30) as ctx:
        rows = _get(client, "requests.json", api_key=token_a).json()
    assert len(rows) == 5
    few = len(ctx.captured_queries)
    for i in range(5):
        submit(token_a, light(description=f"第{i + 5}盏路灯不亮了，请尽快修理。"))
    with django_assert_max_num_queries(few) as ctx:
        assert len(_get(client, "requests.json", api_key=token_a).json()) == 10
