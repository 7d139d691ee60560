"""The selectors the views call: every lookup is narrowed to the caller's scope."""

import pytest

from lianxin.brands import selectors
from tests.brands.factories import make_brand

pytestmark = pytest.mark.django_db


def test_brand_reviews_and_proposal_unit(world):
    project = make_brand(world)
    assert list(selectors.brand_reviews(project=project)) == []
    assert selectors.proposal_unit(user=world.users["party_a"]) == world.village_a
    assert selectors.proposal_unit(user=world.users["town_b"]) == world.town_b
