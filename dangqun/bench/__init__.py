"""The `dangqun bench <scenario>` measurements.

Each scenario is a module of this package that defines NAME (the word on the command line),
HELP, add_arguments(parser) and run(options, write) -> dict. The command finds them here,
so a new scenario (registration-rush, ...) is one new module. A scenario runs against a
fresh database and the production server in processes of their own (target.py), drives it
with concurrent HTTP clients over loopback (load.py), compares with a trivial request in
the same run, and returns its figures; the command prints them and ends with one JSON line.
"""

import importlib
import pkgutil
from types import ModuleType


def scenarios() -> dict[str, ModuleType]:
    """Every scenario module of this package, by its command-line name."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if isinstance(getattr(module, "NAME", None), str) and callable(
            getattr(module, "run", None)
        ):
            found[module.NAME] = module
    return dict(sorted(found.items()))


def add_common_arguments(parser) -> None:
    """The options every scenario has: where it runs, how hard it pushes, how long at most."""
    parser.add_argument(
        "--database-url",
        default=None,
        help="a PostgreSQL server to measure on, as postgres://user@host:port/NAME. The bench "
        "creates a fresh scratch database NAME_<pid> on that server, runs there and "
        "drops it at the end; the database NAME itself is never touched. Without this "
        "option: a fresh SQLite file in a temporary directory.",
    )
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (20)")
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (DANGQUN_WORKERS or 2)"
    )
    parser.add_argument(
        "--threads", type=int, default=None, help="threads per worker (DANGQUN_THREADS or 8)"
    )
    parser.add_argument(
        "--timeout", type=float, default=15.0, help="seconds one request may take (15)"
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=180.0,
        help="time limit of each measured phase; requests not sent by then count as errors (180)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the random requests (1)")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary directory and the scratch database, for a look afterwards",
    )
