"""Date and time inputs carry ISO values (YYYY-MM-DD, HH:MM) in every language: a browser's
<input type="date"> shows "1985/03/10" (Chinese Django's first input format) as empty, and
saving the form again would erase the date. So ISO comes first in each language's input
formats (what Django renders into inputs); the language's own forms are still accepted."""

ISO_DATE = "%Y-%m-%d"
ISO_TIME = ["%H:%M", "%H:%M:%S"]
ISO_DATETIME = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def first(iso: list[str], theirs: list[str]) -> list[str]:
    return [*iso, *(f for f in theirs if f not in iso)]
