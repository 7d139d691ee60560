"""办结照片: an optional photo on resolve, cleaned as every photo is, stored as a CasePhoto of kind
``result`` and shown on the public tracking page (only those; never the reporter's own)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from lianxin.cases import services as s
from lianxin.cases.models import CasePhoto, PhotoKind, State
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def _png(name="r.png"):
    buf = io.BytesIO()
    Image.new("RGB", (16, 12), "red").save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


@pytest.fixture
def accepted(world):
    case = make_case(world, photos=[_png("mine.png")])
    return s.case_accept(case=case, actor=world.users["grid_a1"])


def test_resolve_with_a_result_photo(world, accepted):
    case = s.case_resolve(
        case=accepted, actor=world.users["grid_a1"], resolution="已修好", result_photo=_png()
    )
    assert case.state == State.RESOLVED
    result = CasePhoto.objects.get(case=case, kind=PhotoKind.RESULT)
    assert (result.width, result.height) == (16, 12)
    assert CasePhoto.objects.filter(case=case, kind=PhotoKind.REPORT).count() == 1


def test_a_photo_that_does_not_clean_refuses_the_step(world, accepted):
    bad = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    with pytest.raises(s.CaseError):
        s.case_resolve(
            case=accepted, actor=world.users["grid_a1"], resolution="好", result_photo=bad
        )
    accepted.refresh_from_db()
    assert accepted.state == State.ACCEPTED
    assert not CasePhoto.objects.filter(kind=PhotoKind.RESULT).exists()


def test_resolve_through_the_panel_and_the_public_page(world, login, client, accepted):
    c = login(world.users["grid_a1"])
    resp = c.post(
        reverse("cases:case_action", args=[accepted.pk, "resolve"]),
        {"resolution": "已更换灯泡", "result_photo": _png()},
    )
    assert resp.status_code == 302
    result = CasePhoto.objects.get(case=accepted, kind=PhotoKind.RESULT)
    mine = CasePhoto.objects.get(case=accepted, kind=PhotoKind.REPORT)
    detail = c.get(reverse("cases:case_detail", args=[accepted.pk])).content.decode()
    assert 'data-testid="result-photos"' in detail and result.token in detail
    client.logout()
    page = client.get(reverse("cases:track", args=[accepted.code])).content.decode()
    assert result.token in page and mine.token not in page
    url = reverse("cases:result_photo", args=[accepted.code, result.token])
    resp = client.get(url)
    assert resp.status_code == 200 and resp["Content-Type"] == "image/jpeg"
    # the reporter's own photo is never served publicly, nor a result photo under another code
    assert (
        client.get(reverse("cases:result_photo", args=[accepted.code, mine.token])).status_code
        == 404
    )
    other = make_case(world)
    assert (
        client.get(reverse("cases:result_photo", args=[other.code, result.token])).status_code
        == 404
    )


def test_bad_upload_through_the_panel_is_a_message(world, login, accepted):
    c = login(world.users["grid_a1"])
    bad = SimpleUploadedFile("x.png", b"nope", content_type="image/png")
    resp = c.post(
        reverse("cases:case_action", args=[accepted.pk, "resolve"]),
        {"resolution": "已更换灯泡", "result_photo": bad},
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 200 and 'data-testid="action-error"' in resp.content.decode()
    accepted.refresh_from_db()
    assert accepted.state == State.ACCEPTED


def test_track_page_without_result_photo_shows_none(world, client, accepted):
    s.case_resolve(case=accepted, actor=world.users["grid_a1"], resolution="已修好")
    page = client.get(reverse("cases:track", args=[accepted.code])).content.decode()
    assert 'data-testid="result-photos"' not in page
