"""The person at the counter (一站式受理窗口): staff serve people of their own regions, and
anyone who gives their full mobile number at the counter. The counter remembers those for the
session, so that the forms it leads to (a request, a booking, an activity sign-up on the
person's behalf) can name the person by their opaque public id instead of carrying a
mobile number in a URL.

Someone with no account yet is registered at the desk: staff type the name and the mobile
number and tick that the person agreed to the privacy notice on paper. That consent is
stored (the account's time of consent) and audited with who recorded it, when and where."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.core import audit
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.text import clean_text

from . import access, identity, selectors
from .models import Person

COUNTER_KEY = "intake.desk_people"
REMEMBERED = 20
# The audit action of an account opened by staff with the person's consent on paper, at
# the counter or at an activity's door.
CONSENT_AT_COUNTER = "person.consent_at_counter"


@transaction.atomic
def person_register_at_counter(
    *, actor, mobile: str, name: str = "", consent: bool = False, where: dict | None = None
) -> tuple[Person, bool]:
    """The person of this mobile number, (person, False); or, for someone with no account
    yet, a new account in the name staff typed, once staff ticked that the person agreed
    to the privacy notice on paper, (person, True). `where` (the center, the activity) goes
    into the audit entry with the member of staff and the time."""
    access.require(actor, access.MANAGERS)
    mobile = identity.normalize_mobile(mobile)
    person = selectors.person_by_mobile(mobile)
    if person is not None:
        return person, False
    name = clean_text(name, field="name", max_length=50)
    if not name:
        raise ValidationFailed(
            _("This mobile number has no account yet: enter the person's name."), field="name"
        )
    if not consent:
        raise ValidationFailed(
            _("Ask the person to read the privacy notice, then tick that they agree."),
            field="consent",
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            person = Person.objects.create_user(mobile, name=name, privacy_consent_at=now)
    except IntegrityError:  # the same number, registered a moment ago at another desk
        return Person.objects.get(mobile=mobile), False
    audit.record(
        actor,
        CONSENT_AT_COUNTER,
        person,
        {"consent": "paper", "consent_at": now.isoformat(), **(where or {})},
    )
    return person, True


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
