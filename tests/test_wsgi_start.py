"""A worker freezes what start-up built, so that Python's full garbage
collections do not walk Django, the apps and the views every time."""

from __future__ import annotations

import os
import subprocess
import sys


def test_loading_the_application_freezes_start_up(tmp_path):
    script = (
        "import gc\n"
        "before = gc.get_freeze_count()\n"
        "import sys\n"
        "import communique.wsgi\n"
        "frozen = gc.get_freeze_count()\n"
        "print(before, frozen, 'communique.search.views' in sys.modules)\n"
    )
    env = {**os.environ, "COMMUNIQUE_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    before, frozen, views_loaded = result.stdout.split()
    assert before == "0"
    assert int(frozen) > 20_000  # Django and the site, not a handful of objects
    assert views_loaded == "True"  # the URLconf's views were imported first
