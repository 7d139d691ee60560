from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lianxin.brands import selectors, services
from lianxin.brands.models import BrandStatus, ProposalStatus
from tests.brands.factories import make_brand, make_proposal

pytestmark = pytest.mark.django_db


def test_brand_is_approved_at_the_level_above(world):
    brand = make_brand(world)
    with pytest.raises(PermissionDenied):
        services.brand_decide(
            actor=world.users["village_a"], project=brand, approve=True
        )  # same level
    with pytest.raises(PermissionDenied):
        services.brand_decide(
            actor=world.users["town_b"], project=brand, approve=True
        )  # another town
    with pytest.raises(ValidationError):
        services.brand_review(actor=world.users["town_a"], project=brand, year=2026, rating="good")
    brand = services.brand_decide(
        actor=world.users["town_a"], project=brand, approve=True, note="同意"
    )
    assert brand.status == BrandStatus.APPROVED
    services.brand_review(
        actor=world.users["town_a"],
        project=brand,
        year=2026,
        rating="excellent",
        comment="成效明显",
    )
    with pytest.raises(ValidationError):
        services.brand_review(actor=world.users["town_a"], project=brand, year=2026, rating="good")
    with pytest.raises(ValidationError):
        services.brand_submit(
            actor=world.users["village_a"],
            unit=world.village_a,
            name="x",
            summary="一二三四五六七八九十",
        )


def test_proposal_adopted_then_implemented(world):
    p = make_proposal(world)
    with pytest.raises(PermissionDenied):
        services.proposal_submit(
            actor=world.users["party_a"],
            unit=world.village_b,
            title="越界建议",
            content="不应能提交到别村",
        )
    with pytest.raises(ValidationError):
        services.proposal_review(
            actor=world.users["village_a"], proposal=p, adopt=True
        )  # a due date is needed
    with pytest.raises(PermissionDenied):
        services.proposal_review(
            actor=world.users["village_b"], proposal=p, adopt=False, note="不行"
        )
    p = services.proposal_review(
        actor=world.users["village_a"],
        proposal=p,
        adopt=True,
        due=timezone.localdate() + timedelta(days=30),
    )
    assert p.status == ProposalStatus.ADOPTED
    p = services.proposal_implement(
        actor=world.users["village_a"], proposal=p, note="已安装 6 盏路灯"
    )
    assert p.status == ProposalStatus.IMPLEMENTED and p.implemented_at
    q = make_proposal(world)
    q = services.proposal_review(
        actor=world.users["village_a"], proposal=q, adopt=False, note="已列入明年计划"
    )
    with pytest.raises(ValidationError):
        services.proposal_implement(actor=world.users["village_a"], proposal=q, note="x")
    assert [x.pk for x in selectors.proposal_list(user=world.users["party_a"])] == [q.pk, p.pk]
    assert selectors.proposal_list(user=world.users["village_b"]).count() == 0
