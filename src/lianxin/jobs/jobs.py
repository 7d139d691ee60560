from lianxin.jobs.services import jobs_expire

# Result and upload files are deleted once they expire (LIANXIN_JOB_RESULT_HOURS).
PERIODIC_JOBS = [("jobs.expire", lambda now: {"expired": jobs_expire(now=now)})]
