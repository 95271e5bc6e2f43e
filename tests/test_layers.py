"""The code's shape, checked by a machine: every module imports on its own (no
import-order luck, no cycle that only works in one order), and pages and endpoints stay
thin adapters that parse, authorise, call a service or selector, and render."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import dangqun

PACKAGE = Path(dangqun.__file__).parent
ROOT = PACKAGE.parent


def _modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" in parts or "management" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


MODULES = _modules()
# Run as a script in a fresh interpreter: Django is set up once (as at start-up), then each
# module is imported first in a forked child of that state, so no module is ever imported
# with the help of another one that happened to be imported before it.
_IMPORT_EACH = """
import importlib, os, sys, traceback
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangqun.settings")
import django
django.setup()
failed = []
for name in sys.argv[1:]:
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(name)
        except BaseException:
            print(name + ": " + traceback.format_exc().strip().splitlines()[-1], flush=True)
            os._exit(1)
        os._exit(0)
    _pid, status = os.waitpid(pid, 0)
    if status:
        failed.append(name)
sys.exit(1 if failed else 0)
"""


def test_the_package_has_the_modules_this_test_walks():
    assert "dangqun.api" in MODULES
    assert any(name.startswith("dangqun.activities.") for name in MODULES)


def test_every_module_imports_on_its_own_in_a_fresh_interpreter():
    """Importing an app's API module first used to fail ("partially initialized module")
    because every router imported the root API that imports every router."""
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH, *MODULES],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_import_check_sees_a_broken_module(tmp_path):
    broken = tmp_path / "broken_module.py"
    broken.write_text("import dangqun.no_such_module\n")
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH, "broken_module"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"},
        timeout=120,
    )
    assert done.returncode == 1
    assert "broken_module: ModuleNotFoundError" in done.stdout


# --- pages and endpoints are adapters ---------------------------------------------------

# e.g. ("places/api.py", "objects"): "the reason". Empty: every adapter is thin.
ALLOWED: dict[tuple[str, str], str] = {}


def _is_adapter(path: Path, tree: ast.AST) -> bool:
    """A module of pages or endpoints: named so (views, api, *_views, *_api, open311), or
    rendering or redirecting (django.shortcuts), or building a ninja Router."""
    if path.name in ("views.py", "api.py", "open311.py") or path.stem.endswith(("_views", "_api")):
        return True
    for node in ast.walk(tree):
        shortcuts = isinstance(node, ast.ImportFrom) and node.module == "django.shortcuts"
        if shortcuts and {a.name for a in node.names} & {"render", "redirect"}:
            return True
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Router":
            return True
    return False


def _adapter_files() -> list[tuple[Path, ast.AST]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.relative_to(PACKAGE).parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        if _is_adapter(path, tree):
            found.append((path, tree))
    return found


def _calls(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if node.attr == "objects":
                found.append((node.lineno, "objects"))
            elif isinstance(node.value, ast.Name):
                dotted = f"{node.value.id}.{node.attr}"
                if dotted in ("transaction.atomic", "audit.record"):
                    found.append((node.lineno, dotted))
        elif isinstance(node, ast.ImportFrom) and node.module in ("django.db.transaction",):
            found.append((node.lineno, "transaction.atomic"))
    return found


def test_the_adapter_check_sees_what_it_forbids():
    source = "def v(request):\n    with transaction.atomic():\n        Thing.objects.get()\n"
    assert {call for _line, call in _calls(ast.parse(source))} == {
        "transaction.atomic",
        "objects",
    }


def test_the_check_finds_the_adapters_whatever_their_names():
    names = {str(path.relative_to(PACKAGE)) for path, _tree in _adapter_files()}
    assert {"activities/views.py", "activities/staff_checkin.py", "intake/open311.py"} <= names
    assert "activities/services/registration.py" not in names


def test_pages_and_endpoints_leave_reads_writes_and_audit_to_services():
    offences = []
    for path, tree in _adapter_files():
        relative = str(path.relative_to(PACKAGE))
        for line, call in _calls(tree):
            if (relative, call) not in ALLOWED:
                offences.append(f"dangqun/{relative}:{line}: {call}")
    assert offences == [], "\n".join(offences)
