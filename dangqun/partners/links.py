"""What the apps above partners hold about a partner or a sub-brand, read through functions
they register here (this app sits below activities, intake and volunteers and imports none
of them). Each app registers from its AppConfig.ready(), in its own `partner_links.py`:

    links.register_repoint("activities", repoint)       # (old_partner_id, new_partner_id) -> int
    links.register_upcoming(upcoming)                    # (partner_ids) -> list[Link]
    links.register_carrying("activities", carrying)      # (sub_brand_ids) -> list[Link]

A merge of two partners calls every repoint (references move to the partner kept); the
public partner page lists the upcoming activities; a brand's page lists the activities and
service items carrying its sub-brands."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Link:
    """One thing shown on a public page: its title, where it is, when it starts."""

    title: str
    url: str
    center: str = ""
    start: datetime | None = None
    kind: str = ""


_repointers: dict[str, Callable[[int, int], int]] = {}
_upcoming: dict[str, Callable[[list[int]], list[Link]]] = {}
_carrying: dict[str, Callable[[list[int]], list[Link]]] = {}


def register_repoint(name: str, repoint: Callable[[int, int], int]) -> None:
    """`repoint(old_partner_id, new_partner_id)` points the app's records at the new partner
    and returns how many it moved."""
    _repointers[name] = repoint


def register_upcoming(name: str, upcoming: Callable[[list[int]], list[Link]]) -> None:
    _upcoming[name] = upcoming


def register_carrying(name: str, carrying: Callable[[list[int]], list[Link]]) -> None:
    """`carrying(sub_brand_ids)`: the app's public records under these sub-brands."""
    _carrying[name] = carrying


def repoint_all(old_partner_id: int, new_partner_id: int) -> dict[str, int]:
    """Every registered app's references moved; {app: how many}."""
    return {name: int(fn(old_partner_id, new_partner_id)) for name, fn in _repointers.items()}


def upcoming(partner_ids: Iterable[int], *, limit: int = 20) -> list[Link]:
    ids = list(partner_ids)
    if not ids:
        return []
    found = [link for fn in _upcoming.values() for link in fn(ids)]
    found.sort(key=lambda link: link.start.timestamp() if link.start else float("inf"))
    return found[:limit]


def carrying(sub_brand_ids: Iterable[int]) -> dict[str, list[Link]]:
    ids = list(sub_brand_ids)
    return {name: (fn(ids) if ids else []) for name, fn in _carrying.items()}
