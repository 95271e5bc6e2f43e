"""Choices for <select> elements built from rows: grouped under their parent (an
<optgroup> per parent), named in the page's language."""

from django.utils.translation import get_language


def shown_name(obj) -> str:
    """The English name (name_en) on English pages when it is filled, else the name."""
    if get_language() == "en" and getattr(obj, "name_en", ""):
        return obj.name_en
    return obj.name


def grouped_by_parent(rows, *, empty: str = "—") -> list:
    """[("", empty), (parent name, [(id, name), ...]), ...] in the rows' order; rows
    without a parent come ungrouped."""
    choices: list = [("", empty)]
    groups: dict = {}
    for row in rows:
        parent = getattr(row, "parent", None)
        option = (str(row.pk), shown_name(row))
        if parent is None:
            choices.append(option)
            continue
        if parent.pk not in groups:
            groups[parent.pk] = []
            choices.append((shown_name(parent), groups[parent.pk]))
        groups[parent.pk].append(option)
    return choices
