from lianxin.privacy.services import retention_sweep_daily

# 个人信息保存期限: anonymise what passed its period, once a day (docs/privacy.md).
PERIODIC_JOBS = [("privacy.retention", lambda now: retention_sweep_daily(now=now))]
