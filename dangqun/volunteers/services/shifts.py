"""Tasks and shifts. A shift runs on an activity of its own (owner "volunteers"), so its
places, its waiting list, its sign-ups and its check-in are the activities' guarantees,
not a second copy of them: never more volunteers than places, by the database."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.activities import selectors as activities
from dangqun.activities import services as activity_services
from dangqun.core import audit
from dangqun.core.errors import DomainError, NotFound, ValidationFailed
from dangqun.core.numbers import whole_number
from dangqun.core.text import clean_text

from .. import gate, rules
from ..models import Shift, SwapOffer, Task, Team
from .common import require_leader, require_member
from .ledger import credit_check_in

VOLUNTEER_KIND = "volunteer"  # the activities' kind of volunteer assistance
MAX_PLACES = 1000
MAX_SHIFT_HOURS = 24


def _where(team: Team, space, address: str) -> dict:
    center = team.center
    if space is not None:
        if center is not None and space.center_id != center.pk:
            raise ValidationFailed(_("Choose a space of the team's center."), field="space")
        return {"venue": Task.Venue.SPACE, "space": space, "center": space.center, "address": ""}
    address = clean_text(address, field="address", max_length=200)
    if not address:
        raise ValidationFailed(_("Choose a space or give an address."), field="address")
    if center is None:
        raise ValidationFailed(_("Choose a space of a center."), field="space")
    return {"venue": Task.Venue.ADDRESS, "space": None, "center": center, "address": address}


@transaction.atomic
def task_create(
    *,
    actor,
    team: Team,
    title: str,
    description: str = "",
    skills: str = "",
    space=None,
    address: str = "",
) -> Task:
    require_leader(actor, team)
    task = Task.objects.create(
        team=team,
        title=clean_text(title, field="title", max_length=120, required=True),
        description=clean_text(description, field="description", max_length=2000, multiline=True),
        skills=clean_text(skills, field="skills", max_length=200),
        created_by=actor,
        **_where(team, space, address),
    )
    audit.record(actor, "volunteer_task.create", task, {"title": task.title})
    return task


def _places(places) -> int:
    return whole_number(places, field="places", low=1, high=MAX_PLACES)


def _times(start: datetime, end: datetime) -> None:
    if not isinstance(start, datetime):
        raise ValidationFailed(_("Give the start."), field="start")
    if not isinstance(end, datetime) or end <= start:
        raise ValidationFailed(_("The end must come after the start."), field="end")
    if (end - start).total_seconds() > MAX_SHIFT_HOURS * 3600:
        raise ValidationFailed(_("A shift lasts at most 24 hours."), field="end")
    if start.year > timezone.now().year + 2:
        raise ValidationFailed(_("Give a date within the next two years."), field="start")


@transaction.atomic
def shift_open(*, actor, task: Task, start: datetime, end: datetime, places) -> Shift:
    """A shift of the task, open for members' sign-up until it starts."""
    require_leader(actor, task.team)
    _times(start, end)
    activity = activity_services.owned_activity_open(
        owner=gate.OWNER,
        actor=actor,
        center=task.center,
        title=task.title,
        kind=VOLUNTEER_KIND,
        capacity=_places(places),
        start=start,
        end=end,
        space=task.space,
        address=task.address,
        description=task.description,
    )
    shift = Shift.objects.create(task=task, activity=activity, start=start, end=end)
    audit.record(actor, "volunteer_shift.open", shift, {"places": activity.capacity})
    return shift


@transaction.atomic
def shift_cancel(*, actor, shift: Shift, reason: str) -> Shift:
    """Called off by a leader; everyone signed up is told (the activities' cancellation)."""
    require_leader(actor, shift.task.team)
    activity_services.owned_activity_cancel(
        owner=gate.OWNER, actor=actor, activity=shift.activity, reason=reason
    )
    audit.record(actor, "volunteer_shift.cancel", shift, {})
    return shift


def _lock_person(person) -> None:
    """Hold the person's row until the commit: their sign-ups (and the places handed to
    them) are put in order, so the gate's "no other shift at that time" is asked of what
    the one before wrote. The activity's lock orders the places of one shift; two
    overlapping shifts are two activities, hence this second lock, taken first. NO KEY
    UPDATE: rows that merely point at the person (a registration, an audit entry) are not
    held up. On SQLite the transaction itself is the lock (BEGIN IMMEDIATE)."""
    get_user_model().objects.select_for_update(no_key=True).filter(pk=person.pk).values_list(
        "pk"
    ).first()


@transaction.atomic
def shift_sign_up(*, actor, shift: Shift):
    """The member takes a place (or joins the waiting list): the activities' sign-up, which
    asks the team's gate (a member, no other shift at that time), under the person's lock."""
    _lock_person(actor)
    try:
        registration = activity_services.registration_create(actor=actor, activity=shift.activity)
    except DomainError as error:
        if error.field == "activity":  # the activities' name for what is here the shift
            error.field = "shift"
        raise
    audit.record(actor, "volunteer_shift.sign_up", shift, {"status": registration.status})
    return registration


@transaction.atomic
def shift_assign(*, actor, shift: Shift, person):
    """A leader puts a member on the shift, by the same sign-up (places, waiting list and
    gate included); the member is told by SMS as for their own sign-up."""
    require_leader(actor, shift.task.team)
    require_member(person, shift.task.team)
    _lock_person(person)
    registration = activity_services.registration_create(
        actor=person, activity=shift.activity, person=person
    )
    audit.record(actor, "volunteer_shift.assign", shift, {"person": person.pk})
    return registration


def _own_registration(person, shift: Shift):
    registration = activities.registration_for_person(shift.activity, person)
    if registration is None:
        raise ValidationFailed(_("You are not signed up for this shift."), field="shift")
    return registration


@transaction.atomic
def shift_withdraw(*, actor, shift: Shift, now=None):
    """The member cancels their place up to the cut-off before the start (then the leader
    must be told in person: the shift counts on them); a place in line can always go."""
    now = now or timezone.now()
    registration = _own_registration(actor, shift)
    holds = registration.status in activities.HOLDING_STATUSES
    if holds and now > shift.start - rules.cancel_cutoff():
        raise ValidationFailed(
            _(
                "It is too late to cancel online (until %(hours)d hours before the start): "
                "please tell your team leader."
            )
            % {"hours": rules.cancel_cutoff().total_seconds() // 3600},
            field="shift",
        )
    return activity_services.registration_cancel(actor=actor, registration=registration)


@transaction.atomic
def swap_offer(*, actor, shift: Shift, to_person) -> SwapOffer:
    """Offer one's confirmed place to another member, who accepts or declines."""
    team = shift.task.team
    registration = _own_registration(actor, shift)
    if registration.status != activities.CONFIRMED:
        raise ValidationFailed(_("Only a confirmed place can be handed over."), field="shift")
    if shift.start <= timezone.now():
        raise ValidationFailed(_("This shift has begun."), field="shift")
    if to_person is None or to_person.pk == actor.pk:
        raise ValidationFailed(_("Choose another member of the team."), field="to_person")
    require_member(to_person, team, field="to_person")
    SwapOffer.objects.filter(
        shift=shift, from_person=actor, status=SwapOffer.Status.OFFERED
    ).update(status=SwapOffer.Status.WITHDRAWN, answered_at=timezone.now())
    swap = SwapOffer.objects.create(shift=shift, from_person=actor, to_person=to_person)
    audit.record(actor, "volunteer_swap.offer", swap, {"to": to_person.pk})
    return swap


@transaction.atomic
def swap_answer(*, actor, swap: SwapOffer, accept: bool) -> SwapOffer:
    """The other member answers; accepting takes over the very place (never a second one)."""
    if swap.to_person_id != actor.pk:
        raise NotFound()
    if accept:
        _lock_person(actor)  # the place comes to them: no overlapping sign-up meanwhile
    current = SwapOffer.objects.select_for_update().get(pk=swap.pk)
    if current.status != SwapOffer.Status.OFFERED:
        raise ValidationFailed(_("This offer was answered or withdrawn."), field="status")
    shift = current.shift
    if accept:
        why_not = gate.shift_refusal(shift.activity, actor)
        if why_not:
            raise ValidationFailed(why_not, field="to_person")
        registration = activities.registration_for_person(shift.activity, current.from_person)
        if registration is None:
            raise ValidationFailed(_("The place is no longer there to hand over."), field="shift")
        activity_services.registration_transfer(
            owner=gate.OWNER, actor=actor, registration=registration, person=actor
        )
    current.status = SwapOffer.Status.ACCEPTED if accept else SwapOffer.Status.DECLINED
    current.answered_at = timezone.now()
    current.save(update_fields=["status", "answered_at"])
    audit.record(actor, "volunteer_swap.answer", current, {"accept": bool(accept)})
    return current


def _registration_by_code(shift: Shift, code: str):
    session = activities.only_session(shift.activity)
    registration = activities.registration_by_code(
        session, clean_text(code, field="code", max_length=400)
    )
    if registration is None:
        raise ValidationFailed(_("No one on this shift has this code."), field="code")
    return session, registration


@transaction.atomic
def shift_check_in(*, actor, shift: Shift, code: str):
    """A leader checks a volunteer in by their short code or personal QR code (the
    activities' check-in: once per person, within check-in hours)."""
    require_leader(actor, shift.task.team)
    session, registration = _registration_by_code(shift, code)
    method = (
        activities.CheckInMethod.SHORT_CODE
        if len(code.strip()) <= 8
        else activities.CheckInMethod.SCAN
    )
    return activity_services.check_in(
        actor=actor, session=session, registration=registration, method=method
    )


def _check_out(actor, shift: Shift, session, registration):
    entry = activities.check_in_at(session, registration)
    if entry is None:
        raise ValidationFailed(_("This volunteer has not checked in."), field="code")
    if entry.checked_out_at is None:
        entry = activity_services.check_out(actor=actor, entry=entry)
    credited = credit_check_in(shift=shift, check_in=entry)
    audit.record(
        actor,
        "volunteer_shift.check_out",
        shift,
        {"person": registration.person_id, "minutes": credited.minutes if credited else 0},
    )
    return entry


@transaction.atomic
def shift_check_out(*, actor, shift: Shift, code: str):
    """A leader checks a volunteer out; the hours are credited at once when they count."""
    require_leader(actor, shift.task.team)
    session, registration = _registration_by_code(shift, code)
    return _check_out(actor, shift, session, registration)


def self_check_out_open(shift: Shift, *, now=None) -> bool:
    """Whether the volunteer may check out on their phone now: while the shift runs, and
    for the check-in's grace after its end."""
    now = now or timezone.now()
    return shift.start <= now <= shift.end + activity_services.CHECK_IN_OPENS


@transaction.atomic
def shift_check_out_self(*, actor, shift: Shift, now=None):
    """The volunteer checks out on their phone when they leave (only ever at the time they
    press it: it can shorten their hours, never lengthen them)."""
    if not self_check_out_open(shift, now=now):
        raise ValidationFailed(_("Check-out is open while the shift runs."), field="shift")
    registration = _own_registration(actor, shift)
    session = activities.only_session(shift.activity)
    # Audited once, by _check_out, as a leader's check-out is: the actor tells them apart.
    return _check_out(actor, shift, session, registration)
