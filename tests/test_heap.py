"""A web process settles its heap once started (core.heap): what start-up loaded, the view
modules included, is out of the garbage collector's walks."""

import gc
import json
import subprocess
import sys

import pytest

from core import heap
from tests.test_settings import ROOT

PROBE = """
import gc, json, sys
import {module}
print(json.dumps({{
    "frozen": gc.get_freeze_count(),
    "views": "feeds.views" in sys.modules,
    "thresholds": gc.get_threshold(),
}}))
"""


@pytest.mark.single_run
@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_the_entry_points_freeze_what_start_up_loaded(tmp_path, module):
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SOCIALHUB_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["views"]  # the URL patterns were loaded before freezing
    assert found["frozen"] > 100_000  # Django, the apps and their URL patterns
    # The process that holds the sockets collects less often; the web workers as Python does.
    if module == "config.asgi":
        assert tuple(found["thresholds"]) == heap.LONG_LIVED_THRESHOLDS
    else:
        assert tuple(found["thresholds"]) == gc.get_threshold() != heap.LONG_LIVED_THRESHOLDS
