"""Walk-ins at the door: someone who did not sign up comes in person. One rule for the
staff page, the staff API and the person themselves at the door's code: find or (with the
person's consent, given at the counter on paper or on screen) create the account, refuse
someone who is on the waiting list or holds an offer (they do not jump the queue), register
them as a walk-in while a place is free, and check them in — all of it, or nothing."""

from django.db import transaction
from django.utils.translation import gettext as _

from dangqun.core.errors import ValidationFailed
from dangqun.people import counter as people_counter

from ..errors import NotEligible
from ..models import Activity, ActivitySession, CheckIn, Registration
from .checkin import check_in, within_check_in_hours
from .common import require_staff
from .registration import registration_create

Status = Registration.Status
# The audit action of an account opened at the door, whichever way staff entered it.
CONSENT_AT_COUNTER = people_counter.CONSENT_AT_COUNTER


def _door_is_open(session: ActivitySession) -> None:
    """What does not depend on the person is refused first, before anyone is asked for a
    name or consent: an activity without walk-ins, a session outside check-in hours."""
    activity = session.activity
    if not (activity.walk_ins and activity.status == Activity.Status.PUBLISHED):
        raise NotEligible(_("This activity does not take walk-ins."), field="activity")
    within_check_in_hours(session)


def _person_at_the_door(*, actor, session: ActivitySession, mobile: str, name: str, consent):
    """The person of this mobile number; a new account only with a name and consent (the
    counter's rule, people.counter)."""
    where = {"activity": str(session.activity.public_id), "session": session.pk}
    person, _created = people_counter.person_register_at_counter(
        actor=actor, mobile=mobile, name=name, consent=consent, where=where
    )
    return person


def _walk_in(*, actor, session: ActivitySession, person) -> tuple[CheckIn, bool]:
    """Register (if need be) and check in someone who came to the door; (entry, created)."""
    activity = session.activity
    active = Registration.objects.filter(
        activity=activity, person=person, status__in=Registration.ACTIVE
    ).first()
    if active is not None and active.status != Status.CONFIRMED:
        raise ValidationFailed(
            _("This person signed up already and has no confirmed place (%(status)s).")
            % {"status": active.get_status_display()},
            field="mobile",
        )
    registration = active or registration_create(
        actor=actor, activity=activity, person=person, walk_in=True
    )
    return check_in(
        actor=actor, session=session, registration=registration, method=CheckIn.Method.WALK_IN
    )


@transaction.atomic
def walk_in_register(
    *, actor, session: ActivitySession, mobile: str, name: str = "", consent: bool = False
) -> tuple[CheckIn, bool]:
    """The door's one service: the person by mobile (a new account with name and consent),
    then `walk_in`. Staff of the activity's center only."""
    require_staff(actor, session.activity)
    _door_is_open(session)
    person = _person_at_the_door(
        actor=actor, session=session, mobile=mobile, name=name, consent=consent
    )
    return _walk_in(actor=actor, session=session, person=person)


@transaction.atomic
def walk_in(*, actor, session: ActivitySession, person) -> CheckIn:
    """The same rule for someone whose account staff already found."""
    require_staff(actor, session.activity)
    entry, _created = _walk_in(actor=actor, session=session, person=person)
    return entry


@transaction.atomic
def walk_in_at_the_door(*, person, session: ActivitySession) -> tuple[CheckIn, bool]:
    """The person scanned the session's door code (which proves they are there) and, not
    signed up, registers as a walk-in and is checked in, under the same rule as staff
    registering them: walk-ins taken, check-in hours, a free place, no jumping the queue."""
    _door_is_open(session)
    return _walk_in(actor=person, session=session, person=person)


def door_refusal(session: ActivitySession, now=None) -> str | None:
    """Why a person without a sign-up cannot register at the door now, in plain words, or
    None when they can (the page offers the button then)."""
    activity = session.activity
    if not (activity.walk_ins and activity.status == Activity.Status.PUBLISHED):
        return _("This activity takes no walk-ins: only people who signed up can come in.")
    if activity.taken >= activity.capacity:
        return _("No place is left: the activity is full.")
    try:
        within_check_in_hours(session, now)
    except ValidationFailed as error:
        return str(error.message)
    return None
