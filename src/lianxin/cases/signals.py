"""Signals of the 诉求 module: how the layers above it hear about a request without cases
importing them (cases sits below integrations, open311 and webhooks).

``api_case_created`` is sent once per request created through the open API
(``cases.api.case_create``), never for an idempotent replay, inside the creating transaction: a
receiver that fails undoes the request, so the client's retry with the same key creates it again
and its origin is never lost. Sent with ``case=``, ``request=``
(the HTTP request: ``request.integration`` is set when a token authenticated it) and
``external_id=`` (the caller's own id, may be ""). The integrations app records which integration
created the request (``IntegrationCase``).
"""

from __future__ import annotations

from django.dispatch import Signal

api_case_created = Signal()
