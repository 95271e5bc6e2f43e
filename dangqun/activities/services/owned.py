"""Activities another app runs for its own purpose (Activity.owner): a volunteer shift is
one. The owning app has authorised the actor by its own rule (a team's leader need not be
staff); these writes check only that the activity is that app's. The places, the waiting
list, sign-ups and check-in are then the activities' own, unchanged."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.core import audit
from dangqun.core.errors import NotFound, ValidationFailed

from .. import eligibility
from ..errors import AlreadyRegistered
from ..models import Activity, ActivitySession, Registration
from .activity import cancel_and_tell
from .common import new_code
from .registration import _lock_activity

Status = Registration.Status


def sign_up_gate_register(owner: str, refusal) -> None:
    """The owning app's rule of who may sign up (asked by every door: page, API, counter)."""
    eligibility.gate_register(owner, refusal)


def _owned(activity: Activity, owner: str) -> None:
    if activity.owner != owner:
        raise NotFound()


@transaction.atomic
def owned_activity_open(
    *,
    owner: str,
    actor,
    center,
    title: str,
    kind: str,
    capacity: int,
    start: datetime,
    end: datetime,
    space=None,
    address: str = "",
    description: str = "",
) -> Activity:
    """A published activity of one session, open for sign-up from now until it starts.
    It names its space but does not book it: the owner's people work inside a space that
    runs anyway (a volunteer shift at the counter does not take the room from others)."""
    now = timezone.now()
    if start <= now:
        raise ValidationFailed(_("The start must be in the future."), field="start")
    if end <= start:
        raise ValidationFailed(_("Each session must end after it starts."), field="end")
    activity = Activity.objects.create(
        owner=owner,
        title=title,
        kind=kind,
        center=center,
        venue=Activity.Venue.SPACE if space is not None else Activity.Venue.ADDRESS,
        space=space,
        address=address,
        capacity=capacity,
        registration_opens=now,
        registration_closes=start,
        description=description,
        status=Activity.Status.PUBLISHED,
        reminder_minutes=24 * 60,
        created_by=actor,
    )
    ActivitySession.objects.create(activity=activity, start=start, end=end)
    audit.record(actor, "activity.open_owned", activity, {"owner": owner})
    return activity


@transaction.atomic
def owned_activity_cancel(*, owner: str, actor, activity: Activity, reason: str) -> Activity:
    _owned(activity, owner)
    return cancel_and_tell(actor=actor, activity=activity, reason=reason)


@transaction.atomic
def registration_transfer(*, owner: str, actor, registration: Registration, person):
    """The place of `registration` passes to `person` (a swap between two volunteers): the
    same place, never a second one, under the activity's lock; a new short code, since the
    old one was the other person's."""
    _owned(registration.activity, owner)
    _lock_activity(registration.activity_id)
    current = Registration.objects.select_for_update().get(pk=registration.pk)
    if current.status != Status.CONFIRMED:
        raise ValidationFailed(_("Only a confirmed place can be handed over."), field="status")
    old_person = current.person_id
    current.person = person
    current.short_code = new_code()
    try:
        with transaction.atomic():
            current.save(update_fields=["person", "short_code", "changed_at"])
    except IntegrityError:
        raise AlreadyRegistered() from None
    audit.record(actor, "registration.transfer", current, {"from": old_person, "to": person.pk})
    return current
