"""Fuzz tests run only when asked for by their marker (`pytest -m fuzz`, a stage of its own in
.ci/run); the ordinary run deselects them, visibly, rather than skipping them."""

import os

import pytest


def pytest_collection_modifyitems(config, items):
    if "fuzz" in (config.getoption("markexpr") or ""):
        return
    fuzz = [item for item in items if item.get_closest_marker("fuzz")]
    if fuzz:
        config.hook.pytest_deselected(items=fuzz)
        items[:] = [item for item in items if not item.get_closest_marker("fuzz")]


@pytest.fixture
def fuzz_settings():
    return {
        "seed": int(os.environ.get("DANGQUN_FUZZ_SEED", "20240501")),
        "max_examples": int(os.environ.get("DANGQUN_FUZZ_MAX_EXAMPLES", "20")),
        # Seconds of schemathesis per role (its --max-time), and a hard stop beyond them.
        "max_time": {
            "resident": int(os.environ.get("DANGQUN_FUZZ_RESIDENT_SECONDS", "50")),
            "district_admin": int(os.environ.get("DANGQUN_FUZZ_ADMIN_SECONDS", "100")),
        },
        "timeout": 300,
        "findings": os.environ.get("DANGQUN_FUZZ_FINDINGS", ""),
    }
