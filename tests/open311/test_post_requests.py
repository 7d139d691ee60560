"""POST requests.{fmt}: through the cases intake, with the spec's responses and errors."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from django.urls import reverse

from lianxin.cases.models import Case, Channel, State
from lianxin.open311.models import Submission
from tests.open311.conftest import GRID_B1_POINT, light


def _case(response) -> Case:
    return Case.objects.get(code=response.json()[0]["service_request_id"])


def test_post_json_creates_a_case_through_the_intake(world, token_a, submit):
    response = submit(token_a)
    assert response.status_code == 201
    [row] = response.json()
    assert set(row) == {"service_request_id", "token", "service_notice", "account_id"}
    case = Case.objects.get(code=row["service_request_id"])
    # the intake's work: the grid from the point, its queue (首问责任), deadlines, the timeline
    assert case.grid == world.grid_a1
    assert case.owner_unit == world.grid_a1 and case.owner_user is None
    assert case.state == State.SUBMITTED
    assert case.channel == Channel.API
    assert case.accept_due_at is not None and case.resolve_due_at is not None
    assert case.events.get().kind == "submit"
    assert case.category.code == "infra-light"
    assert case.reporter_name == "王大妈"
    assert case.reporter_phone == "13912345678"
    assert case.lat == pytest.approx(34.715) and case.lng == pytest.approx(104.885)
    assert case.title == "东关小区门口路灯不亮三天了，晚上很黑"
    # the attribute values reach the handler's screen in the text, and are kept as given
    assert "【补充信息】\n故障情况：不亮" in case.description
    submission = Submission.objects.get(case=case)
    assert submission.attributes == {"fault": "dark"}
    assert row["token"] == submission.token
    assert case.code in row["service_notice"]
    assert reverse("cases:track", args=[case.code]) in row["service_notice"]


def test_post_records_the_integration_origin(world, token_a, submit):
    from lianxin.integrations.selectors import integration_of_case

    case = _case(submit(token_a))
    integration = integration_of_case(case)
    assert integration is not None and integration.name == "12345平台"


def test_post_xml(world, token_a, submit):
    response = submit(token_a, fmt="xml")
    assert response.status_code == 201
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    request = root.find("request")
    code = request.findtext("service_request_id")
    assert Case.objects.filter(code=code).exists()
    assert request.findtext("token")
    assert request.find("account_id") is not None


def test_all_attribute_types(world, token_a, submit):
    data = light(
        service_code="env-garbage",
        **{"attribute[kind][]": ["household", "bulky"]},
    )
    del data["attribute[fault]"]
    case = _case(submit(token_a, data))
    assert case.open311_submission.attributes == {"kind": ["household", "bulky"]}
    assert "垃圾类型：生活垃圾、大件垃圾" in case.description
    data = light(service_code="heat-cold", **{"attribute[heating]": "central"})
    del data["attribute[fault]"]
    data["attribute[temperature]"] = "14.5"
    case = _case(submit(token_a, data))
    assert case.open311_submission.attributes == {"heating": "central", "temperature": "14.5"}


def test_media_url_is_kept_and_named_in_the_text(world, token_a, submit):
    case = _case(submit(token_a, light(media_url="https://img.example.cn/a/1.jpg")))
    assert case.open311_submission.media_url == "https://img.example.cn/a/1.jpg"
    assert "图片链接：https://img.example.cn/a/1.jpg" in case.description


def test_address_id_is_a_grid_code(world, token_a, submit):
    data = light(address_id=world.grid_a2.code, address_string="东关小区3号楼")
    del data["lat"], data["long"]
    case = _case(submit(token_a, data))
    assert case.grid == world.grid_a2
    assert case.address == "东关小区3号楼"


def test_address_string_alone_for_a_token_of_one_grid(world, attributes, submit):
    from tests.integrations.factories import make_token

    raw, _t = make_token(world.grid_a2, ["cases.submit_case"], name="网格小程序")
    data = light(address_string="东关小区5号楼")
    del data["lat"], data["long"]
    assert _case(submit(raw, data)).grid == world.grid_a2


def test_without_names_the_contact_is_the_integration(world, token_a, submit):
    data = light()
    del data["first_name"], data["last_name"]
    assert _case(submit(token_a, data)).reporter_name == "12345平台"


ERRORS = [
    ({"service_code": ""}, 400, "service_code"),
    ({"service_code": "no-such"}, 400, "service_code"),
    ({"description": " "}, 400, "description"),
    ({"description": "长" * 1601}, 400, "description"),
    ({"attribute[fault]": ""}, 400, "attribute[fault]"),
    ({"attribute[fault]": "broken"}, 400, "attribute[fault]"),
    ({"attribute[colour]": "red"}, 400, "attribute[colour]"),
    ({"attributes": "x"}, 400, "attributes"),
    ({"phone": ""}, 400, "phone"),
    ({"phone": "12345"}, 400, "phone"),
    ({"lat": "abc"}, 400, "lat"),
    ({"lat": "nan"}, 400, "lat"),
    ({"long": "181"}, 400, "long"),
    ({"long": ""}, 400, "long"),
    ({"lat": "10.0", "long": "10.0"}, 400, "网格"),
    ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
    ({"lat": GRID_B1_POINT["lat"], "long": GRID_B1_POINT["long"]}, 403, "辖区"),
]


@pytest.mark.parametrize(("change", "code", "names"), ERRORS, ids=[e[2] for e in ERRORS])
def test_refusals_in_the_spec_format(world, token_a, submit, change, code, names):
    response = submit(token_a, light(**change))
    assert response.status_code == code
    [error] = response.json()
    assert error["code"] == code
    assert names in error["description"]
    assert not Case.objects.exists()


def test_no_location_at_all(world, token_a, submit):
    data = light()
    del data["lat"], data["long"]
    response = submit(token_a, data)
    assert response.status_code == 400
    assert "lat/long" in response.json()[0]["description"]


def test_address_string_alone_is_not_geocoded(world, token_a, submit):
    data = light(address_string="东关小区5号楼")
    del data["lat"], data["long"]
    response = submit(token_a, data)
    assert response.status_code == 400
    assert "address_id" in response.json()[0]["description"]


def test_a_grid_code_outside_the_token_unit(world, token_a, submit):
    data = light(address_id=world.grid_b1.code)
    del data["lat"], data["long"]
    assert submit(token_a, data).status_code == 403


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_missing_or_invalid_api_key_is_403(world, attributes, submit, fmt):
    for token in (None, "lx_not-a-token"):
        response = submit(token, fmt=fmt)
        assert response.status_code == 403
        if fmt == "xml":
            root = ET.fromstring(response.content)
            assert root.findtext("error/code") == "403"
            assert "api_key" in root.findtext("error/description")
        else:
            assert response.json()[0]["code"] == 403
    assert not Case.objects.exists()


def test_a_revoked_token_is_refused(world, attributes, submit):
    from django.utils import timezone

    from tests.integrations.factories import make_token

    raw, token = make_token(world.town_a, ["cases.submit_case"], name="旧平台")
    token.revoked_at = timezone.now()
    token.save()
    assert submit(raw).status_code == 403


def test_idempotency_key_replays_the_first_request(world, token_a, submit):
    first = submit(token_a, headers={"Idempotency-Key": "12345-2026-0001"})
    again = submit(token_a, headers={"Idempotency-Key": "12345-2026-0001"})
    assert first.status_code == 201 and again.status_code == 200
    assert first.json() == again.json()
    assert Case.objects.count() == 1
    other = submit(
        token_a,
        light(description="另一件事：楼道灯坏了。"),
        headers={"Idempotency-Key": "12345-2026-0001"},
    )
    assert other.status_code == 409
    assert Case.objects.count() == 1
    assert submit(token_a, headers={"Idempotency-Key": "bad key!"}).status_code == 400


def test_a_csrf_checking_client_may_post(world, token_a):
    """Token authority, no cookie: the endpoint is CSRF-exempt (a 12345 platform has no form)."""
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/open311/v2/requests.json", {**light(), "api_key": token_a}
    )
    assert response.status_code == 201


def test_hostile_attribute_values_never_500(world, token_a, submit):
    for value in ("1" + "0" * 30, "-1e999", "长" * 2000, "\u202e😀"):
        data = light(service_code="heat-cold", **{"attribute[temperature]": value})
        data["attribute[heating]"] = "central"
        del data["attribute[fault]"]
        assert submit(token_a, data).status_code in (201, 400)
