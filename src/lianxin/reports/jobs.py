from lianxin.reports.services import reports_schedule

# From the 1st of each month: last month's brief for every unit (a batch a minute; idempotent).
PERIODIC_JOBS = [("reports.monthly", lambda now: reports_schedule(now=now))]
