"""The ``lianxin`` command: a thin wrapper over ``manage.py`` with a few conveniences.

lianxin serve [--bind 127.0.0.1:8000]   production server (gunicorn + whitenoise)
lianxin demo [--households N]           build the 武山县 demo county
lianxin import-divisions [--county C]   load the Gansu division codes
lianxin createadmin                     create a superuser
lianxin worker                          periodic jobs every minute (deadline sweeps, ...)
lianxin db_worker                       queued tasks (imports, large exports); see Procfile
lianxin compile_catalogues              .po -> .mo with polib (no GNU gettext needed)
lianxin <any manage.py command>
"""

from __future__ import annotations

import os
import sys

ALIASES = {"import-divisions": "import_divisions", "createadmin": "createsuperuser"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
