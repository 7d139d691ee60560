"""The old 活动与志愿 app: no models, no code, only its historical migrations.

Its models moved (same tables, ``activities_*``) to ``lianxin.events``, ``lianxin.volunteers``
and ``lianxin.brands`` (ADR 0008). The app stays installed because other apps' migrations
(wishes, the new apps' 0001) depend on ``activities`` migrations, and its 0007 deletes the
moved models from its own migration state. Add nothing here.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "lianxin.activities"
    label = "activities"
    verbose_name = _("活动与志愿")
