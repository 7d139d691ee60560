import pytest


@pytest.fixture
def world(world):
    from tests.cases.factories import ensure_categories

    ensure_categories()
    return world


@pytest.fixture
def channels(settings):
    """E-mail (locmem) and SMS configured as a deployment would, the SMS provider pointed at
    nothing yet (``fake_sms`` points it at the fake server)."""
    from lianxin.notifications import backends

    settings.LIANXIN_NOTIFICATION_BACKENDS = [
        "lianxin.notifications.backends.EmailBackend",
        "lianxin.notifications.backends.SmsBackend",
    ]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LIANXIN_SMS_TEMPLATES = {
        "case_done": "SMS_100001",
        "case_accept": "SMS_100002",
        "book_remind": "SMS_100003",
        "promoted": "SMS_100004",
    }
    settings.LIANXIN_SMS_SIGN_NAME = "联心"
    settings.LIANXIN_SMS_ACCESS_KEY_ID = "test-key"
    settings.LIANXIN_SMS_ACCESS_KEY_SECRET = "test-secret"
    settings.LIANXIN_SMS_SDK_APP_ID = "1400000000"
    settings.LIANXIN_SMS_PROTOCOL = "http"
    settings.LIANXIN_SMS_TIMEOUT_SECONDS = 5
    settings.LIANXIN_SMS_PROVIDER = "aliyun"
    settings.LIANXIN_SMS_ENDPOINT = "127.0.0.1:9"  # nothing listens: a fake must be started
    backends._load.cache_clear()
    yield settings
    backends._load.cache_clear()


@pytest.fixture
def fake_sms(channels):
    from tests.notifications.fake_sms import FakeSms, start

    fake = FakeSms()
    server = start(fake)
    channels.LIANXIN_SMS_ENDPOINT = fake.endpoint
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def opt_in():
    """``opt_in(user, sms=[...], email=[...], quiet=None)``: the person's own choices."""
    from lianxin.notifications.models import NotificationPreference

    def _opt_in(user, *, sms=(), email=(), quiet=None):
        start, end = quiet or (None, None)
        return NotificationPreference.objects.update_or_create(
            user=user,
            defaults={
                "channels": {"sms": list(sms), "email": list(email)},
                "quiet_start": start,
                "quiet_end": end,
            },
        )[0]

    return _opt_in
