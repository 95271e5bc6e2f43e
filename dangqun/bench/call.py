"""`python -m dangqun.bench.call module:function '{"keyword": value}'`

Run one function inside Django configured from the environment (DATABASE_URL,
DANGQUN_VAR_DIR, ...) and print its result as the last line, in JSON. A benchmark uses it
to migrate, fill and inspect its own database, whose settings are not the bench command's.
"""

import importlib
import json
import os
import sys


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangqun.settings")
    import django

    django.setup()
    module_name, _, function_name = argv[0].partition(":")
    function = getattr(importlib.import_module(module_name), function_name)
    result = function(**json.loads(argv[1] if len(argv) > 1 else "{}"))
    sys.stdout.write("\n" + json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
