"""Building webhook subscriptions and firing request steps the way production does."""

from __future__ import annotations

from lianxin.webhooks import services


def make_subscription(
    world, url: str, *, unit=None, integration=None, actor="county_admin", name="12345平台"
):
    """A subscription registered through the service; returns (subscription, secret)."""
    if unit is None and integration is None:
        unit = world.town_a
    return services.subscription_create(
        actor=world.users[actor], name=name, url=url, unit=unit, integration=integration
    )
