"""Reads about people, always through the scoping of access.py."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dangqun.core import audit
from dangqun.core.errors import ValidationFailed

from . import access, identity
from .models import Person, PersonTag, StaffRole

# The choices of a person's groups and trades, for other apps' schemas (which do not import
# people's models).
Tag = PersonTag.Tag
Trade = PersonTag.Trade


def persons_for_staff(user, *, query: str = "") -> QuerySet:
    """People this member of staff may see, found by name or mobile number."""
    persons = access.scope(user, Person.objects.select_related("home_region"))
    query = (query or "").replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
    if query:
        digits = identity.mobile_digits(query)
        if digits.isascii() and digits.isdigit():
            persons = persons.filter(mobile__contains=digits)
        else:
            persons = persons.filter(name__icontains=query)
    return persons.prefetch_related("tags").order_by("name", "id")


def person_for_staff(user, *, public_id) -> Person:
    return access.get_or_404(
        user, Person.objects.select_related("home_region"), public_id=public_id
    )


def person_history(person: Person, *, limit: int = 20):
    """The latest entries of the audit log about the person (looks, reveals, roles)."""
    return audit.entries_for(person).select_related("actor")[:limit]


def person_by_mobile(mobile: str) -> Person | None:
    try:
        return Person.objects.filter(mobile=identity.normalize_mobile(mobile)).first()
    except ValidationFailed:  # an invalid number is simply nobody
        return None


def roles_for_staff(user) -> QuerySet:
    return access.scope(user, StaffRole.objects.select_related("person", "region", "center"))


def signed_up_person(mobile: str, *, field: str) -> Person:
    """The account of a mobile number someone typed for another person (staff acting on
    their behalf); a clear error on that field when there is none."""
    person = person_by_mobile(mobile)
    if person is None:
        raise ValidationFailed(_("Nobody has signed up with this mobile number yet."), field=field)
    return person


def person_by_public_id(public_id) -> Person | None:
    """An active person by the public id that links carry (never a sequential id)."""
    if not public_id:
        return None
    try:
        return Person.objects.filter(public_id=public_id, is_active=True).first()
    except (ValueError, ValidationError):
        return None


def tag_choices() -> list[tuple[str, str]]:
    """The group tags a person may carry, as (code, label) for forms and filters."""
    return list(PersonTag.Tag.choices)
