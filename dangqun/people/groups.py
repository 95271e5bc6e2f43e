"""Whether a person is in a target group: the one reading of the group tags they hold,
their age on a day and their home region. An activity's eligibility (who may sign up) and
a service package's fit (whom it is for) both ask these."""

from datetime import date

BELOW, ABOVE, UNKNOWN = "below", "above", "unknown"


def held_tags(person) -> set[str]:
    """The group tags the person holds (read from `person.tags`: prefetch it for a list)."""
    return {t.tag for t in person.tags.all()}


def age_band_problem(person, min_age: int | None, max_age: int | None, day: date) -> str | None:
    """None when the person's age on `day` is in the band (or there is no band); UNKNOWN
    without a birth date; BELOW or ABOVE otherwise."""
    if min_age is None and max_age is None:
        return None
    age = person.age_on(day)
    if age is None:
        return UNKNOWN
    if min_age is not None and age < min_age:
        return BELOW
    if max_age is not None and age > max_age:
        return ABOVE
    return None


def lives_in(person, region) -> bool:
    """Whether the person's home region lies within `region` (always, when it is None)."""
    if region is None:
        return True
    home = person.home_region
    return home is not None and home.path.startswith(region.path)
