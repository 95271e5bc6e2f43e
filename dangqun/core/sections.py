"""Sections one app adds to another's page about a person (a rider's hold of a charging
slot on "my bookings" and on the riders' page), without the page's app importing the
adding app: the page's app owns a registry, the adding app fills it when Django starts.

    # the page's app (its selectors.py):
    mine_sections = PersonSections()
    # the adding app (its apps.py ready()):
    bookings.mine_sections.register("charging", "charging/_my_holds.html", holds_of)
    # the page's view and template:
    {"sections": selectors.mine_sections.of(request.user)}
    {% for s in sections %}{% include s.template with items=s.items %}{% endfor %}
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    items: Sequence


class PersonSections:
    def __init__(self):
        self._reads: dict[str, tuple[str, Callable]] = {}

    def register(self, key: str, template: str, read: Callable[[object], Sequence]) -> None:
        """read(person) gives what the section lists; an empty list leaves it out."""
        self._reads[key] = (template, read)

    def of(self, person) -> list[Section]:
        if not getattr(person, "is_authenticated", False):
            return []
        shown = []
        for key, (template, read) in self._reads.items():
            items = read(person)
            if items:
                shown.append(Section(key, template, items))
        return shown
