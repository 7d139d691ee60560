"""The offline app's endpoints: the shell, manifest and worker, the data, and the sync."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lianxin.cases.models import Case, CasePhoto, Channel
from lianxin.visits.models import Visit
from tests.field.conftest import jpeg

pytestmark = pytest.mark.django_db


def _category_id() -> int:
    from tests.cases.factories import category

    return category().pk


def _visit_post(client, world, item_key, **extra):
    data = {"key": item_key, "household": world.households["a"].pk, "kind": "care", "met": "户主"}
    data.update(extra)
    return client.post(reverse("field:sync_visit"), data)


def _case_post(client, world, item_key, **extra):
    data = {
        "key": item_key,
        "household": world.households["a"].pk,
        "category": _category_id(),
        "title": "屋顶漏水",
        "description": "雨天漏水严重",
    }
    data.update(extra)
    return client.post(reverse("field:sync_case"), data)


# ----------------------------------------------------------------------------- shell
def test_shell_links_manifest_and_worker(world, client, login):
    login(world.users["grid_a1"])
    response = client.get(reverse("field:shell"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("field:manifest") in html and reverse("field:sw") in html
    assert "field/field.js" in html and 'id="field-labels"' in html


def test_manifest_is_public_and_installable(client):
    response = client.get(reverse("field:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    body = json.loads(response.content)
    assert body["name"] == "连心桥·走访"
    assert body["start_url"] == "/field/" and body["display"] == "standalone"
    assert {i["sizes"] for i in body["icons"]} == {"192x192", "512x512"}


def test_icons_are_pngs_of_their_size():
    from pathlib import Path

    from PIL import Image

    import lianxin.field

    static = Path(lianxin.field.__file__).parent / "static" / "field"
    for size in (192, 512):
        with Image.open(static / f"icon-{size}.png") as img:
            assert img.format == "PNG" and img.size == (size, size)


def test_service_worker_precaches_the_shell(client):
    response = client.get(reverse("field:sw"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    js = response.content.decode()
    assert '"/field/"' in js and "field/field.js" in js and "bootstrap.min.css" in js
    assert "lianxin-field-" in js and "http" not in js.split("ASSETS")[1].split(";")[0]


# ----------------------------------------------------------------------------- data.json
def test_data_lists_own_grid_masked(world, client, login, categories):
    from tests.cases.factories import make_case

    make_case(world, title="甲网格的诉求")
    make_case(world, grid=world.grid_b1, title="乙网格的诉求", idempotency_key="b-case")
    login(world.users["grid_a1"])
    response = client.get(reverse("field:data"))
    assert response.status_code == 200
    body = response.json()
    assert [h["number"] for h in body["households"]] == ["A-0001"]
    assert body["households"][0]["phone"] == "138****2222"
    text = response.content.decode()
    assert "13811112222" not in text and "甲金丝雀" not in text
    assert "B-0001" not in text and "乙网格的诉求" not in text
    assert [c["title"] for c in body["cases"]] == ["甲网格的诉求"]
    assert body["csrf"] and body["categories"] and body["kinds"]


def test_data_of_the_other_grid_worker(world, client, login):
    login(world.users["grid_b1"])
    body = client.get(reverse("field:data")).json()
    assert [h["number"] for h in body["households"]] == ["B-0001"]
    assert "A-0001" not in json.dumps(body, ensure_ascii=False)


# ----------------------------------------------------------------------------- sync visit
def test_visit_with_photo_then_replay_is_one_visit(world, client, login, key):
    login(world.users["grid_a1"])
    first = _visit_post(client, world, key, photo=jpeg(), needs=["助老", "医疗"])
    assert first.status_code == 200, first.content
    assert first.json()["created"] is True
    again = _visit_post(client, world, key, photo=jpeg())
    assert again.status_code == 200
    assert again.json() == {**first.json(), "created": False}
    visit = Visit.objects.get()
    assert visit.photo and visit.needs == ["助老", "医疗"] and visit.kind == "care"
    assert visit.visitor == world.users["grid_a1"] and visit.form_token.endswith(key)


def test_same_uuid_from_another_user_is_their_own_row(world, client, login, key):
    """The key is stored under the sender's prefix: user B's key never returns user A's row."""
    login(world.users["grid_a1"])
    _visit_post(client, world, key)
    login(world.users["village_a"])
    response = _visit_post(client, world, key)
    assert response.status_code == 200 and response.json()["created"] is True
    assert Visit.objects.count() == 2


def test_visit_to_another_grid_is_refused(world, client, login, key):
    login(world.users["grid_b1"])
    response = _visit_post(client, world, key)
    assert response.status_code == 400
    assert "household" in response.json()["errors"]
    assert Visit.objects.count() == 0


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"household": "abc"}, "household"),
        ({"household": "999999"}, "household"),
        ({"key": "not-a-uuid"}, "key"),
        ({"key": ""}, "key"),
        ({"lat": "34.7"}, "lat"),
        ({"photo": SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>")}, "photo"),
    ],
)
def test_bad_visit_is_400_with_chinese_errors(world, client, login, key, extra, field):
    login(world.users["grid_a1"])
    response = _visit_post(client, world, key, **extra)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["reason"])
    assert Visit.objects.count() == 0


def test_refused_item_resent_with_the_same_key_arrives(world, client, login, key):
    login(world.users["grid_a1"])
    assert _visit_post(client, world, key, kind="nope").status_code == 400
    response = _visit_post(client, world, key)
    assert response.status_code == 200 and response.json()["created"] is True
    assert Visit.objects.count() == 1


def test_sync_is_post_only(world, client, login):
    login(world.users["grid_a1"])
    assert client.get(reverse("field:sync_visit")).status_code == 405
    assert client.get(reverse("field:sync_case")).status_code == 405


# ----------------------------------------------------------------------------- sync case
def test_case_with_photo_then_replay_is_one_request(world, client, login, key, categories):
    login(world.users["grid_a1"])
    first = _case_post(client, world, key, photo=jpeg())
    assert first.status_code == 200, first.content
    again = _case_post(client, world, key, photo=jpeg())
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert again.json()["created"] is False
    case = Case.objects.get()
    assert case.channel == Channel.GRID and case.grid == world.grid_a1
    assert case.reporter_name == "甲金丝雀" and case.reporter_phone == "13811112222"
    assert case.created_by == world.users["grid_a1"] and case.owner_user == world.users["grid_a1"]
    assert CasePhoto.objects.filter(case=case).count() == 1


def test_case_uses_typed_phone_when_the_household_has_none(world, client, login, key, categories):
    world.persons["a"].__class__.objects.filter(pk=world.persons["a"].pk).update(phone="")
    login(world.users["grid_a1"])
    refused = _case_post(client, world, key)
    assert refused.status_code == 400 and "contact_phone" in refused.json()["errors"]
    response = _case_post(client, world, key, contact_phone="09380000000")
    assert response.status_code == 200
    assert Case.objects.get().reporter_phone == "09380000000"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"category": ""}, "category"),
        ({"category": "999999"}, "category"),
        ({"title": "漏"}, "title"),
        ({"title": "很" * 81}, "title"),
        ({"description": "长" * 2001}, "description"),
        ({"contact_phone": "1" * 21}, "contact_phone"),
        ({"photo": SimpleUploadedFile("x.jpg", b"\xff" * 101)}, "photo"),
        ({"key": "x" * 80}, "key"),
    ],
)
def test_bad_case_is_400_with_chinese_errors(world, client, login, key, categories, extra, field):
    login(world.users["grid_a1"])
    response = _case_post(client, world, key, **extra)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["reason"])
    assert Case.objects.count() == 0


def test_case_in_another_grid_is_refused(world, client, login, key, categories):
    login(world.users["grid_b1"])
    response = _case_post(client, world, key)
    assert response.status_code == 400 and "household" in response.json()["errors"]
    assert Case.objects.count() == 0


def test_english_errors_when_english(world, client, login, key):
    login(world.users["grid_a1"])
    client.cookies["lianxin_language"] = "en"
    response = _visit_post(client, world, str(uuid.uuid4()), household="999999")
    assert response.json()["errors"]["household"] == "Choose a household in your grid."
