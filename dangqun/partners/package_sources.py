"""What a service package may contain, told by the apps that hold those things.

Partners sits below activities, intake and bookings and imports none of them: a package's
entries name a thing by its code (an item's code, an activity kind, a space's id), and each
of those apps registers here, from its `apps.ready()`, one Source per entry kind:

    check(reference, region) -> str | None
        the reference as stored (normalised) when the thing exists and a package of
        `region` may hold it (an item offered there, a space of a center inside it), None
        otherwise;
    describe(references) -> dict[reference, Shown]
        what the package's page shows of each (a title, a link, upcoming things), read
        with a constant number of queries for all the references of one kind;
    users(references, start, end) -> QuerySet of person ids
        who used one of them in [start, end) (aware moments): a request for the item, an
        attendance or a confirmed sign-up for an activity of the kind, a confirmed booking
        of the space. A subquery: the figures compose it into one query.
    choices() -> list[(reference, label)]
        what staff may choose from when they make a package.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Shown:
    title: str
    url: str = ""
    # Upcoming things under it (the activities of a kind): (title, url, when) each.
    upcoming: list = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    check: Callable
    describe: Callable
    users: Callable
    choices: Callable


SOURCES: dict[str, Source] = {}


def register(kind: str, *, check, describe, users, choices) -> None:
    SOURCES[kind] = Source(check=check, describe=describe, users=users, choices=choices)


def source(kind: str) -> Source | None:
    return SOURCES.get(kind)
