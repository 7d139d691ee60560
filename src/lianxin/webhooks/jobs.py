from lianxin.webhooks.services import deliveries_retry_due

# Tries that are due but were never queued (a lost task, a backend that cannot defer).
PERIODIC_JOBS = [("webhooks.retry_due", lambda now: {"queued": deliveries_retry_due(now=now)})]
