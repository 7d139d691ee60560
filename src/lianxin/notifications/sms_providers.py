"""SMS providers: Aliyun (``alibabacloud-dysmsapi20170525``) and Tencent Cloud
(``tencentcloud-sdk-python-sms``), chosen by ``LIANXIN_SMS_PROVIDER`` (aliyun | tencent | none).

Both send an approved template (``LIANXIN_SMS_TEMPLATES``: notice kind → template code or id)
signed with ``LIANXIN_SMS_SIGN_NAME``; the keys come from settings only. ``LIANXIN_SMS_ENDPOINT``
points the SDK elsewhere (``127.0.0.1:PORT`` with ``LIANXIN_SMS_PROTOCOL=http`` in the tests,
a fake server that answers as the provider does): no test ever reaches a real provider.

The SDK's own retries are off: retries are the delivery queue's (``notifications.delivery``),
so every try is one row in the delivery log.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from django.conf import settings

from lianxin.core.masking import mask_numbers
from lianxin.notifications.backends import SendResult

# Template variables are short on both platforms (Aliyun: 35 characters a variable).
PARAM_MAX = 20


class SmsProvider(Protocol):
    def send(self, *, phone: str, template: str, params: dict[str, str]) -> SendResult: ...


def template_params(notification) -> dict[str, str]:
    """The one variable every approved template gets: ``title``, the notice's subject shortened
    (the template's fixed text says what happened; a link would need a short-link service)."""
    title = (notification.title or "")[:PARAM_MAX]
    return {"title": title}


def _timeout_ms() -> int:
    return int(float(getattr(settings, "LIANXIN_SMS_TIMEOUT_SECONDS", 10)) * 1000)


def _error(exc: Exception) -> str:
    # An SDK's message may echo the request (the number): never keep a number in the log.
    return mask_numbers(f"{type(exc).__name__}: {exc}")[:300]


class AliyunSmsProvider:
    """阿里云短信 SendSms (API version 2017-05-25)."""

    def _client(self):
        from alibabacloud_dysmsapi20170525.client import Client  # type: ignore[import-untyped]
        from alibabacloud_tea_openapi import models as open_api_models  # type: ignore[import-untyped]

        config = open_api_models.Config(
            access_key_id=settings.LIANXIN_SMS_ACCESS_KEY_ID,
            access_key_secret=settings.LIANXIN_SMS_ACCESS_KEY_SECRET,
            endpoint=settings.LIANXIN_SMS_ENDPOINT or "dysmsapi.aliyuncs.com",
            protocol=settings.LIANXIN_SMS_PROTOCOL,
        )
        return Client(config)

    def send(self, *, phone: str, template: str, params: dict[str, str]) -> SendResult:
        from alibabacloud_dysmsapi20170525 import models as sms_models  # type: ignore[import-untyped]
        from darabonba.runtime import RuntimeOptions  # type: ignore[import-untyped]

        request = sms_models.SendSmsRequest(
            phone_numbers=phone,
            sign_name=settings.LIANXIN_SMS_SIGN_NAME,
            template_code=template,
            template_param=json.dumps(params, ensure_ascii=False),
        )
        timeout = _timeout_ms()
        runtime = RuntimeOptions(autoretry=False, read_timeout=timeout, connect_timeout=timeout)
        try:
            body = self._client().send_sms_with_options(request, runtime).body
        except Exception as exc:  # network, HTTP 5xx, throttling: the queue retries
            return SendResult(ok=False, error=_error(exc))
        if (body.code or "").upper() == "OK":
            return SendResult(ok=True, message_id=(body.biz_id or "")[:100])
        return SendResult(ok=False, error=mask_numbers(f"{body.code}: {body.message}")[:300])


class TencentSmsProvider:
    """腾讯云短信 SendSms (API version 2021-01-11)."""

    def _client(self):
        from tencentcloud.common import credential  # type: ignore[import-untyped]
        from tencentcloud.common.profile.client_profile import ClientProfile  # type: ignore[import-untyped]
        from tencentcloud.common.profile.http_profile import HttpProfile  # type: ignore[import-untyped]
        from tencentcloud.sms.v20210111 import sms_client  # type: ignore[import-untyped]

        http = HttpProfile(
            protocol=settings.LIANXIN_SMS_PROTOCOL,
            endpoint=settings.LIANXIN_SMS_ENDPOINT or "sms.tencentcloudapi.com",
            reqTimeout=max(1, _timeout_ms() // 1000),
        )
        cred = credential.Credential(
            settings.LIANXIN_SMS_ACCESS_KEY_ID, settings.LIANXIN_SMS_ACCESS_KEY_SECRET
        )
        return sms_client.SmsClient(
            cred, settings.LIANXIN_SMS_REGION, ClientProfile(httpProfile=http)
        )

    def send(self, *, phone: str, template: str, params: dict[str, str]) -> SendResult:
        from tencentcloud.sms.v20210111 import models as sms_models  # type: ignore[import-untyped]

        request = sms_models.SendSmsRequest()
        request.PhoneNumberSet = [phone if phone.startswith("+") else f"+86{phone}"]
        request.SmsSdkAppId = settings.LIANXIN_SMS_SDK_APP_ID
        request.SignName = settings.LIANXIN_SMS_SIGN_NAME
        request.TemplateId = template
        request.TemplateParamSet = [str(v) for v in params.values()]  # positional {1}, {2}
        try:
            response = self._client().SendSms(request)
        except Exception as exc:
            return SendResult(ok=False, error=_error(exc))
        statuses: list[Any] = list(response.SendStatusSet or [])
        status = statuses[0] if statuses else None
        if status is not None and (status.Code or "").lower() == "ok":
            return SendResult(ok=True, message_id=(status.SerialNo or "")[:100])
        code = getattr(status, "Code", "") if status else "NoStatus"
        message = getattr(status, "Message", "") if status else ""
        return SendResult(ok=False, error=mask_numbers(f"{code}: {message}")[:300])


PROVIDERS: dict[str, type] = {"aliyun": AliyunSmsProvider, "tencent": TencentSmsProvider}


def get_provider() -> SmsProvider | None:
    """The configured provider, or None (``none``, the default: no notice goes by SMS)."""
    name = (getattr(settings, "LIANXIN_SMS_PROVIDER", "none") or "none").lower()
    cls = PROVIDERS.get(name)
    return cls() if cls is not None else None
