import pytest
from django.urls import reverse

from tests.volunteers.factories import make_team

pytestmark = pytest.mark.django_db


def test_team_members_added_and_removed_leader_kept(world, client, login):
    team = make_team(world)
    login(world.users["village_a"])
    client.post(reverse("volunteers:team_member_add", args=[team.pk]), {"key": "13900000001"})
    assert team.members.filter(user=world.users["resident_a"]).exists()
    client.post(
        reverse("volunteers:team_member_add", args=[team.pk]), {"key": "13900000002"}
    )  # town B: not found
    assert not team.members.filter(user=world.users["resident_b"]).exists()
    client.post(
        reverse("volunteers:team_member_remove", args=[team.pk]),
        {"user": world.users["resident_a"].pk},
    )
    assert not team.members.filter(user=world.users["resident_a"]).exists()
    r = client.post(
        reverse("volunteers:team_member_remove", args=[team.pk]),
        {"user": world.users["party_a"].pk},
        follow=True,
    )
    assert (
        "请先更换队长" in r.content.decode()
        and team.members.filter(user=world.users["party_a"]).exists()
    )


def test_ranking_page_title_is_plain_text_and_unit_table_shown_once(world, client, login):
    import re

    login(world.users["town_a"])
    body = client.get(reverse("volunteers:ranking")).content.decode()
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
    assert "积分排行" in title and "<" not in title and "按单位" not in title
    assert body.count("按单位") == 1
