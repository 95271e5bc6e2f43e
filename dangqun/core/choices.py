"""Choices for <select> elements built from rows: grouped under their parent (an
<optgroup> per parent), named in the page's language."""

from dangqun.core.templatetags.dq import loc


def grouped_by_parent(rows, *, empty: str = "—") -> list:
    """[("", empty), (parent name, [(id, name), ...]), ...] in the rows' order; rows
    without a parent come ungrouped."""
    choices: list = [("", empty)]
    groups: dict = {}
    for row in rows:
        parent = getattr(row, "parent", None)
        option = (str(row.pk), loc(row))
        if parent is None:
            choices.append(option)
            continue
        if parent.pk not in groups:
            groups[parent.pk] = []
            choices.append((loc(parent), groups[parent.pk]))
        groups[parent.pk].append(option)
    return choices
