from lianxin.notifications.delivery import deliveries_run_due

# E-mail and SMS held for quiet hours, retries whose backoff has passed, tasks a worker lost.
PERIODIC_JOBS = [("notifications.deliveries", lambda now: deliveries_run_due(now=now))]
