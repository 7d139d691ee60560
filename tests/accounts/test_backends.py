"""accounts.backends: permissions in one query, the session's user with their resident flags."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lianxin.accounts.backends import PhoneOrUsernameBackend
from lianxin.accounts.models import User
from lianxin.people.links import person_flags

pytestmark = pytest.mark.django_db


def _fresh(user):
    return User.objects.get(pk=user.pk)


def test_all_permissions_are_the_users_and_their_groups_in_one_query(world):
    user = world.users["village_a"]
    own = Permission.objects.get(codename="view_person")
    group = Group.objects.create(name="测试组")
    group.permissions.add(Permission.objects.get(codename="add_household"))
    user.user_permissions.add(own)
    user.groups.add(group)
    expected = ModelBackend().get_all_permissions(_fresh(user))
    assert {"people.view_person", "people.add_household"} <= expected
    u = _fresh(user)
    with CaptureQueriesContext(connection) as ctx:
        got = PhoneOrUsernameBackend().get_all_permissions(u)
        again = PhoneOrUsernameBackend().get_all_permissions(u)  # the request's cache
    assert got == again == expected
    assert len(ctx.captured_queries) == 1
    # a permission taken away is gone on the next request's user object
    user.groups.remove(group)
    assert "people.add_household" not in PhoneOrUsernameBackend().get_all_permissions(_fresh(user))
    assert "people.add_household" not in ModelBackend().get_all_permissions(_fresh(user))


def test_inactive_users_and_object_checks_have_no_model_permissions(world):
    user = world.users["village_a"]
    user.user_permissions.add(Permission.objects.get(codename="view_person"))
    backend = PhoneOrUsernameBackend()
    assert backend.get_all_permissions(_fresh(user), obj=object()) == set()
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert backend.get_all_permissions(_fresh(user)) == set()
    assert backend.get_user(user.pk) is None


def test_a_superuser_has_every_permission(world):
    root = User.objects.create_superuser("root_t", password="x-Very-long-1")
    assert len(PhoneOrUsernameBackend().get_all_permissions(root)) == Permission.objects.count()


@pytest.mark.parametrize(
    ("name", "has_person", "is_party"),
    [("county_admin", False, False), ("resident_b", True, False), ("party_a", True, True)],
)
def test_the_session_user_carries_the_resident_flags_without_another_query(
    world, name, has_person, is_party
):
    user = PhoneOrUsernameBackend().get_user(world.users[name].pk)
    with CaptureQueriesContext(connection) as ctx:
        flags = person_flags(user)
    assert (flags.has_person, flags.is_party_member) == (has_person, is_party)
    assert ctx.captured_queries == []
    # any other user object asks once and keeps the answer
    other = _fresh(world.users[name])
    with CaptureQueriesContext(connection) as ctx:
        assert person_flags(other) == flags == person_flags(other)
    assert len(ctx.captured_queries) == 1


def test_unknown_user_id_is_no_user(world):
    assert PhoneOrUsernameBackend().get_user(987654) is None
