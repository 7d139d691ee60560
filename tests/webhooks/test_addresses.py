"""The SSRF guard: a delivery never goes to the machine itself, its private neighbours or the
cloud metadata address, unless operations allowed that network; checked at registration for
literal addresses and before every try for what the name resolves to."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from django.core.exceptions import ValidationError

from lianxin.webhooks import addresses, services
from lianxin.webhooks.models import DeliveryAttempt


def _resolver(*ips):
    def resolve(host, port, proto=0):
        family = socket.AF_INET6
        return [
            (socket.AF_INET if ":" not in ip else family, socket.SOCK_STREAM, proto, "", (ip, port))
            for ip in ips
        ]

    return resolve


@pytest.mark.parametrize(
    ("ip", "refused"),
    [
        ("8.8.8.8", False),
        ("2400:3200::1", False),
        ("10.1.2.3", True),
        ("172.16.0.9", True),
        ("192.168.1.10", True),
        ("169.254.169.254", True),  # the cloud metadata service
        ("127.0.0.1", True),
        ("::1", True),
        ("fe80::1", True),
        ("fc00::5", True),
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("::ffff:10.0.0.1", True),  # an IPv4-mapped private address
    ],
)
def test_address_refusal(settings, ip, refused):
    settings.LIANXIN_WEBHOOK_ALLOW_LOOPBACK_HTTP = False
    settings.LIANXIN_WEBHOOK_ALLOWED_NETWORKS = ()
    assert bool(addresses.address_refusal(ipaddress.ip_address(ip))) is refused


def test_loopback_only_where_allowed_and_private_only_in_listed_networks(settings):
    settings.LIANXIN_WEBHOOK_ALLOW_LOOPBACK_HTTP = True
    settings.LIANXIN_WEBHOOK_ALLOWED_NETWORKS = ("10.20.0.0/16",)
    assert addresses.address_refusal(ipaddress.ip_address("127.0.0.1")) == ""
    assert addresses.address_refusal(ipaddress.ip_address("10.20.3.4")) == ""
    assert addresses.address_refusal(ipaddress.ip_address("10.21.3.4")) != ""
    # an allowed network never opens the metadata address unless it is listed itself
    assert addresses.address_refusal(ipaddress.ip_address("169.254.169.254")) != ""


def test_every_resolved_address_must_pass(settings):
    settings.LIANXIN_WEBHOOK_ALLOWED_NETWORKS = ()
    url = "https://hotline.example.cn/hook"
    assert addresses.url_refusal(url, resolve=_resolver("8.8.4.4")) == ""
    refused = addresses.url_refusal(url, resolve=_resolver("8.8.4.4", "192.168.0.7"))
    assert "hotline.example.cn" in refused and "192.168.0.7" in refused


def test_a_name_that_does_not_resolve_is_left_to_the_post():
    def fail(*_a, **_k):
        raise socket.gaierror("no such host")

    assert addresses.url_refusal("https://nowhere.invalid/", resolve=fail) == ""


@pytest.mark.parametrize(
    "url",
    ["https://10.0.0.5/hook", "https://169.254.169.254/latest/meta-data", "https://[fd00::1]/x"],
)
def test_registration_refuses_a_literal_internal_address(settings, url):
    settings.LIANXIN_WEBHOOK_ALLOWED_NETWORKS = ()
    with pytest.raises(ValidationError) as exc:
        services.validate_webhook_url(url)
    assert "内网" in str(exc.value)


def test_registration_takes_an_allowed_extranet_address(settings):
    settings.LIANXIN_WEBHOOK_ALLOWED_NETWORKS = ("10.0.0.0/8",)
    assert services.validate_webhook_url("https://10.0.0.5/hook") == "https://10.0.0.5/hook"


@pytest.mark.django_db
def test_a_try_to_a_name_now_resolving_inside_is_logged_and_never_sent(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from tests.cases.factories import make_case
    from tests.webhooks.factories import make_subscription

    settings.LIANXIN_WEBHOOK_ALLOWED_NETWORKS = ()
    sent = []
    monkeypatch.setattr(services.transport, "post", lambda *a, **k: sent.append(a) or 1 / 0)
    sub, _secret = make_subscription(world, "https://hotline.example.cn/hook")
    monkeypatch.setattr(addresses.socket, "getaddrinfo", _resolver("192.168.10.10"))
    with django_capture_on_commit_callbacks(execute=True):
        make_case(world)
    attempt = DeliveryAttempt.objects.filter(delivery__subscription=sub).first()
    if attempt is None:  # deliveries queued, not yet tried: try the first one now
        delivery = sub.deliveries.first()
        services.delivery_attempt(delivery_id=delivery.pk)
        attempt = DeliveryAttempt.objects.get(delivery=delivery)
    assert not sent
    assert attempt.status_code is None and not attempt.ok
    assert "192.168.10.10" in attempt.error and attempt.error.startswith("refused")
