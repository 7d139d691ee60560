"""Old name of ``bench/requests_scale.py`` (issue 3, bullet 12); kept as a thin alias."""

import runpy
from pathlib import Path

if __name__ == "__main__":
    runpy.run_path(str(Path(__file__).with_name("requests_scale.py")), run_name="__main__")
