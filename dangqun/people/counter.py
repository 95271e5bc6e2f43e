"""The person at the counter (一站式受理窗口): staff serve people of their own regions, and
anyone who gives their full mobile number at the counter. The counter remembers those for the
session, so that the forms it leads to (a request, a booking, an activity sign-up on the
person's behalf) can name the person by their opaque public id instead of carrying a
mobile number in a URL."""

from dangqun.core import audit
from dangqun.core.errors import NotFound

from . import selectors
from .models import Person

COUNTER_KEY = "intake.desk_people"
REMEMBERED = 20


def remember(request, person: Person) -> None:
    """The person gave their full mobile number at this counter (the look-up is audited)."""
    known = request.session.get(COUNTER_KEY, [])
    if str(person.public_id) not in known:
        request.session[COUNTER_KEY] = [*known[-(REMEMBERED - 1) :], str(person.public_id)]
        audit.record(request.user, "intake.counter_lookup", person, {})


def person_at_counter(request, public_id) -> Person:
    """Someone in the staff's regions, or someone who gave their full mobile number at
    this desk in this session; NotFound for anyone else (and for an id that is none)."""
    try:
        return selectors.person_for_staff(request.user, public_id=public_id)
    except NotFound:
        if str(public_id) not in request.session.get(COUNTER_KEY, []):
            raise
    found = selectors.person_by_public_id(public_id)
    if found is None:
        raise NotFound()
    return found
