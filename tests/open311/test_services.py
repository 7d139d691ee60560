"""GET services and service definitions, in the spec's shapes (JSON and XML)."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest

SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
ATTRIBUTE_FIELDS = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
}


@pytest.fixture
def services(client, attributes):
    return client.get("/open311/v2/services.json").json()


def test_services_json_is_the_category_tree(services):
    by_code = {s["service_code"]: s for s in services}
    assert set(services[0]) == SERVICE_FIELDS
    light = by_code["infra-light"]
    assert light["service_name"] == "路灯照明"
    assert light["group"] == "基础设施"
    assert light["metadata"] is True  # it has attributes
    assert light["type"] == "realtime"
    assert by_code["infra-road"]["metadata"] is False  # none
    assert "dispute-wage" in by_code


def test_a_deactivated_category_is_no_service(client, attributes):
    from lianxin.cases.models import Category

    Category.objects.filter(code="infra-road").update(is_active=False)
    codes = {s["service_code"] for s in client.get("/open311/v2/services.json").json()}
    assert "infra-road" not in codes
    assert "infra-light" in codes


def test_services_xml(client, attributes):
    response = client.get("/open311/v2/services.xml?jurisdiction_id=wushan")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "services"
    service = next(s for s in root.findall("service") if s.findtext("service_code") == "heat-cold")
    assert {c.tag for c in service} == SERVICE_FIELDS
    assert service.findtext("metadata") == "true"
    assert service.findtext("service_name") == "供暖不热"


def test_definition_json(client, attributes):
    response = client.get("/open311/v2/services/infra-light.json")
    assert response.status_code == 200
    body = response.json()
    assert body["service_code"] == "infra-light"
    fault, pole = body["attributes"]
    assert set(fault) >= ATTRIBUTE_FIELDS
    assert fault["code"] == "fault"
    assert fault["datatype"] == "singlevaluelist"
    assert fault["required"] is True
    assert fault["variable"] is True
    assert {"key": "dark", "name": "不亮"} in fault["values"]
    assert pole["datatype"] == "string" and pole["required"] is False
    assert "values" not in pole
    assert fault["order"] < pole["order"]


def test_definition_xml(client, attributes):
    response = client.get("/open311/v2/services/env-garbage.xml")
    root = ET.fromstring(response.content)
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "env-garbage"
    attribute = root.find("attributes/attribute")
    assert attribute.findtext("datatype") == "multivaluelist"
    assert attribute.findtext("required") == "false"
    keys = [v.findtext("key") for v in attribute.findall("values/value")]
    assert keys == ["household", "construction", "bulky"]


def test_definition_of_a_category_without_attributes_is_empty(client, attributes):
    assert client.get("/open311/v2/services/infra-road.json").json() == {
        "service_code": "infra-road",
        "attributes": [],
    }


def test_inactive_attribute_is_not_defined_and_clears_metadata(client, attributes):
    from lianxin.open311.models import ServiceAttribute

    ServiceAttribute.objects.filter(category__code="env-garbage").update(is_active=False)
    assert client.get("/open311/v2/services/env-garbage.json").json()["attributes"] == []
    services = client.get("/open311/v2/services.json").json()
    assert next(s for s in services if s["service_code"] == "env-garbage")["metadata"] is False


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_is_the_spec_404(client, attributes, fmt):
    response = client.get(f"/open311/v2/services/no-such.{fmt}")
    assert response.status_code == 404
    if fmt == "json":
        [error] = response.json()
        assert error["code"] == 404
        assert "no-such" in error["description"]
    else:
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        assert root.findtext("error/code") == "404"


def test_services_refuse_post_in_the_spec_format(client, attributes):
    response = client.post("/open311/v2/services.json", {})
    assert response.status_code == 405
    assert response.json()[0]["code"] == 405
    assert response["Allow"] == "GET"


def test_an_unknown_format_is_not_served(client, attributes):
    assert client.get("/open311/v2/services.html").status_code == 404


def test_xml_starts_with_the_utf8_declaration(client, attributes):
    body = client.get("/open311/v2/services.xml").content
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<services>')


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_service_discovery(client, attributes, fmt):
    response = client.get(f"/open311/discovery.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        body = response.json()
        [endpoint] = body["endpoints"]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["url"] == "http://testserver/open311/v2"
        assert endpoint["formats"] == ["text/xml", "application/json"]
        assert body["changeset"].endswith("+08:00")
    else:
        root = ET.fromstring(response.content)
        assert root.tag == "discovery"
        formats = [f.text for f in root.findall("endpoints/endpoint/formats/format")]
        assert formats == ["text/xml", "application/json"]
        url = root.findtext("endpoints/endpoint/url")
        assert (
            client.get(f"{url.removeprefix('http://testserver')}/services.xml").status_code == 200
        )
