"""people.links: the rules that ask "has a resident entry / a party record" read it once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from lianxin.accounts.models import User
from lianxin.people.links import forget_person_flags, person_flags
from lianxin.people.models import PartyMember, Person
from lianxin.surveys.rules import is_resident_like
from lianxin.wishes.rules import is_party_member

pytestmark = pytest.mark.django_db


def test_flags_follow_the_entry_and_its_party_record(world):
    staff = User.objects.get(pk=world.users["county_admin"].pk)
    assert not person_flags(staff).has_person and not is_resident_like(staff)
    person = Person.objects.create(name="兼职居民", unit=world.grid_a1, user=staff)
    assert not person_flags(staff).has_person  # kept for the request that asked
    forget_person_flags(staff)
    assert person_flags(staff).has_person and not person_flags(staff).is_party_member
    assert is_resident_like(staff) and not is_party_member(staff)
    PartyMember.objects.create(person=person, party_org=world.party_org_a)
    fresh = User.objects.get(pk=staff.pk)  # the next request's user object
    assert person_flags(fresh).is_party_member and is_party_member(fresh)


def test_anonymous_has_no_entry():
    flags = person_flags(AnonymousUser())
    assert not flags.has_person and not flags.is_party_member
