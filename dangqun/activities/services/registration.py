"""Sign-ups: a place if one is free, else the waiting list; cancelling, offers from the
waiting list and their lapse.

Places and the waiting list are two counts on the activity's row, changed only under that
row's lock: `taken`, the confirmed and offered registrations (a check constraint keeps it
within capacity), and `waiting`, those on the waiting list. Whatever takes or frees a
place or moves someone into or out of the queue locks that row first, the activity before
any registration, so a sign-up and a cancellation crossing each other are put in order by
the database: the second one sees what the first did. A sign-up is written by hand (see
core.rows): one statement on PostgreSQL, one short transaction on SQLite."""

from contextlib import nullcontext
from datetime import timedelta
from functools import cache

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangqun.core import audit, rows, sms
from dangqun.core.errors import NotFound, ValidationFailed

from .. import eligibility, queue
from ..errors import AlreadyRegistered, NotEligible
from ..models import Activity, Registration
from .common import new_code as _new_code
from .common import require_staff as _require_staff

Status = Registration.Status


def _lock_activity(activity_pk: int) -> None:
    Activity.objects.select_for_update().filter(pk=activity_pk).values_list("pk").first()


def _take_place(activity: Activity) -> bool:
    """One conditional UPDATE: a place is taken only while one is free."""
    return bool(
        Activity.objects.filter(pk=activity.pk, taken__lt=F("capacity")).update(
            taken=F("taken") + 1
        )
    )


def _left_the_queue(activity_pk: int) -> None:
    """Someone on the waiting list was given a place or cancelled."""
    Activity.objects.filter(pk=activity_pk).update(waiting=F("waiting") - 1)


class _CodeTaken(Exception):
    """Another sign-up of the activity drew the same short code: the sign-up starts again."""


def _refusal_of(error: IntegrityError) -> Exception:
    # PostgreSQL names the constraint; SQLite names the columns, with their table
    # ("activities_registration.activity_id, activities_registration.person_id").
    if "registration_one_active_per_person" in str(error) or "person_id" in str(error):
        return AlreadyRegistered()
    if "short_code" in str(error):
        return _CodeTaken()
    return error


@cache
def _inserted_fields() -> list:
    return [f for f in Registration._meta.concrete_fields if not f.primary_key]


def _row_values(registration: Registration) -> list:
    """The new row's values as the database stores them, as the ORM's INSERT would."""
    return [
        f.get_db_prep_save(f.pre_save(registration, add=True), connection)
        for f in _inserted_fields()
    ]


_STAMPED = ("created_at", "changed_at")  # on PostgreSQL, stamped by the statement itself


@cache
def _sign_up_sql() -> str:
    """PostgreSQL, one statement: lock the activity's row (waiting for a sign-up or a
    cancellation in progress), take a place if one is free or else join the queue, and
    insert the row as confirmed or waitlisted, stamped with the time the lock was held, so
    the queue's order is the order in which its count was given out. Nothing is written
    for an activity no longer published, nor for a walk-in without a place; a second
    sign-up of the same person fails the whole statement (the unique index)."""
    values = []
    for field in _inserted_fields():
        if field.name == "status":
            values.append("CASE WHEN a.free THEN %s ELSE %s END")
        else:
            values.append("stamp.at" if field.name in _STAMPED else "%s")
    return (
        # The new counts are written from what the lock returned (the row as it is once
        # any other writer has committed), not from the row as this statement's snapshot
        # saw it before it waited: PostgreSQL does not bring the UPDATE's own view of a
        # row it joins up to date in every case (shown by the crossing test in test_race).
        f"WITH old AS (SELECT id, taken, waiting, taken < capacity AS free "
        f"FROM {rows.table(Activity)} WHERE id = %s AND status = %s FOR NO KEY UPDATE), "
        f"a AS (UPDATE {rows.table(Activity)} t SET "
        "taken = old.taken + CASE WHEN old.free THEN 1 ELSE 0 END, "
        "waiting = old.waiting + CASE WHEN old.free OR %s THEN 0 ELSE 1 END "
        "FROM old WHERE t.id = old.id RETURNING old.free, t.waiting) "
        f"INSERT INTO {rows.table(Registration)} "
        f"({', '.join(f.column for f in _inserted_fields())}) "
        f"SELECT {', '.join(values)} FROM a, LATERAL (SELECT clock_timestamp() AS at) stamp "
        "WHERE a.free OR NOT %s "
        "RETURNING id, status, created_at, changed_at, (SELECT waiting FROM a)"
    )


def _sign_up_postgresql(registration: Registration, walk_in: bool) -> int | None:
    params = [registration.activity_id, Activity.Status.PUBLISHED, walk_in]
    for field, value in zip(_inserted_fields(), _row_values(registration), strict=True):
        if field.name == "status":
            params += [Status.CONFIRMED, Status.WAITLISTED]
        elif field.name not in _STAMPED:
            params.append(value)
    with rows.cursor() as cursor:
        cursor.execute(_sign_up_sql(), [*params, walk_in])
        row = cursor.fetchone()
    if row is None:
        return None
    registration.id, registration.status, registration.created_at = row[:3]
    registration.changed_at, waiting = row[3:]
    return waiting


@cache
def _insert_sql() -> str:
    names = [f.column for f in _inserted_fields()]
    return (
        f"INSERT INTO {rows.table(Registration)} ({', '.join(names)}) "
        f"VALUES ({', '.join(['%s'] * len(names))}) RETURNING id"
    )


def _sign_up_sqlite(registration: Registration, walk_in: bool) -> int | None:
    # Run in a transaction of its own (BEGIN IMMEDIATE: one writer at a time), so what is
    # read here holds until the commit and the row is stamped in the queue's order.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT taken < capacity, waiting FROM {rows.table(Activity)} "
            "WHERE id = %s AND status = %s",
            [registration.activity_id, Activity.Status.PUBLISHED],
        )
        found = cursor.fetchone()
        if found is None or (walk_in and not found[0]):
            return None
        free, waiting = bool(found[0]), found[1] + (not found[0])
        cursor.execute(
            f"UPDATE {rows.table(Activity)} SET taken = taken + %s, waiting = %s WHERE id = %s",
            [int(free), waiting, registration.activity_id],
        )
        registration.status = Status.CONFIRMED if free else Status.WAITLISTED
        cursor.execute(_insert_sql(), _row_values(registration))
        registration.id = cursor.fetchone()[0]
    return waiting


def _take_place_and_sign_up(registration: Registration, walk_in: bool) -> bool:
    """Write the sign-up: True with a place, False on the waiting list (the registration
    then knows its place in line). Refused, with nothing written, when the activity is no
    longer published, or full for a walk-in."""
    write = _sign_up_postgresql if connection.vendor == "postgresql" else _sign_up_sqlite
    # One statement on PostgreSQL needs no transaction of its own; SQLite's three run in
    # one; inside a caller's transaction a refusal must not end it (a savepoint).
    alone = connection.vendor == "postgresql" and not connection.in_atomic_block
    try:
        with nullcontext() if alone else transaction.atomic():
            waiting = write(registration, walk_in)
    except IntegrityError as error:
        raise _refusal_of(error) from None
    if waiting is None:
        current = Activity.objects.get(pk=registration.activity_id)
        if current.status != Activity.Status.PUBLISHED:  # cancelled or finished meanwhile
            raise NotEligible(eligibility.window_refusal(current), field="activity")
        raise NotEligible(_("The activity is full."), field="activity")
    registration._state.adding, registration._state.db = False, connection.alias
    if registration.status == Status.WAITLISTED:
        # Last in line when it joined: the queue's length, counted under the lock.
        registration.position_when_joined = waiting
    return registration.status == Status.CONFIRMED


def registration_create(
    *, actor, activity: Activity, person=None, walk_in: bool = False
) -> Registration:
    """Sign up: a place if one is free, else the waiting list. Staff sign up someone else;
    a walk-in (no window, a place or nothing) comes only through services.door, where staff
    register the person or the person registers at the door's code."""
    person = person or actor
    if person != actor:
        _require_staff(actor, activity)
    why_not = (
        eligibility.window_refusal(activity)
        if not walk_in
        else (
            None
            if activity.walk_ins and activity.status == Activity.Status.PUBLISHED
            else _("This activity does not take walk-ins.")
        )
    )
    why_not = why_not or (
        None if walk_in else eligibility.person_refusal(activity, person, to_staff=person != actor)
    )
    if why_not:
        raise NotEligible(why_not, field="activity")
    # A second sign-up is refused by the unique constraint when _register inserts, in the
    # same transaction that would have taken the place (and so gives it back). A walk-in
    # is asked first, so that someone already waiting hears so rather than "full".
    if walk_in and (
        Registration.objects.filter(
            activity=activity, person=person, status__in=Registration.ACTIVE
        ).exists()
    ):
        raise AlreadyRegistered()
    for _attempt in range(5):
        try:
            return _register(actor=actor, activity=activity, person=person, walk_in=walk_in)
        except _CodeTaken:
            continue
    raise ValidationFailed(_("Please try again."), field="activity")


def _register(*, actor, activity: Activity, person, walk_in: bool) -> Registration:
    registration = Registration(
        activity=activity, person=person, is_walk_in=walk_in, short_code=_new_code()
    )
    # Staff acting for someone is accountable: the sign-up and its audit entry are written
    # together. A person's own sign-up is recorded by the registration itself (who, when),
    # and on PostgreSQL it is a single statement, needing no transaction of its own.
    with transaction.atomic() if actor != person else nullcontext():
        has_place = _take_place_and_sign_up(registration, walk_in)
        if actor != person:
            audit.record(
                actor, "registration.create", registration, {"status": registration.status}
            )
    if not walk_in:
        sms.tell(
            person,
            gettext_lazy(
                "[Party-Mass Service] You have a place at %(title)s. Your check-in code: %(code)s."
            )
            if has_place
            else gettext_lazy(
                "[Party-Mass Service] %(title)s is full; you are on the waiting list. We tell you "
                "when a place frees."
            ),
            title=activity.title,
            code=registration.short_code,
        )
    return registration


def _promote_next(activity: Activity) -> Registration | None:
    """Give a freed place to the first in line, or release it when nobody waits. The
    activity's row is locked first, so a sign-up joining the queue at this moment is
    either seen here or sees the freed place itself."""
    _lock_activity(activity.pk)
    waiting = (
        Registration.objects.select_for_update()
        .filter(activity=activity, status=Status.WAITLISTED)
        .order_by("created_at", "id")
        .select_related("person")
        .first()
    )
    if waiting is None:
        Activity.objects.filter(pk=activity.pk, taken__gt=0).update(taken=F("taken") - 1)
        return None
    _left_the_queue(activity.pk)
    hours = activity.promotion_confirm_hours
    if hours:
        waiting.status = Status.OFFERED
        waiting.offered_until = timezone.now() + timedelta(hours=hours)
        waiting.save(update_fields=["status", "offered_until", "changed_at"])
        until = timezone.localtime(waiting.offered_until)
        sms.tell(
            waiting.person,
            gettext_lazy(
                "[Party-Mass Service] A place at %(title)s is free for you. Confirm it before "
                "%(until)s on your activity page."
            ),
            title=activity.title,
            until=f"{until:%m-%d %H:%M}",
        )
        queue.after_commit(queue.OFFER_MADE, waiting.pk)
    else:
        waiting.status = Status.CONFIRMED
        waiting.save(update_fields=["status", "changed_at"])
        sms.tell(
            waiting.person,
            gettext_lazy(
                "[Party-Mass Service] Good news: you now have a place at %(title)s. Your check-in "
                "code: %(code)s."
            ),
            title=activity.title,
            code=waiting.short_code,
        )
    audit.record(None, "registration.promote", waiting, {"status": waiting.status})
    return waiting


def fill_free_places(activity: Activity) -> int:
    """After capacity grows: the waiting list moves up into the new places."""
    moved = 0
    while Registration.objects.filter(activity=activity, status=Status.WAITLISTED).exists():
        if not _take_place(activity):
            break
        # _promote_next gives the place it is handed; with nobody waiting it gives it back.
        _promote_next(activity)
        moved += 1
    return moved


@transaction.atomic
def registration_cancel(*, actor, registration: Registration) -> Registration:
    """The person (or staff) cancels; a place held goes to the next in line."""
    activity = registration.activity
    if registration.person_id != actor.pk:
        _require_staff(actor, activity)
    _lock_activity(activity.pk)
    current = Registration.objects.select_for_update().get(pk=registration.pk)
    if current.status not in Registration.ACTIVE:
        raise ValidationFailed(_("This sign-up is not active."), field="status")
    held = current.status in Registration.HOLDING
    if current.status == Status.WAITLISTED:
        _left_the_queue(activity.pk)
    current.status = Status.CANCELLED
    current.save(update_fields=["status", "changed_at"])
    if held:
        _promote_next(activity)
    audit.record(actor, "registration.cancel", current, {"held_a_place": held})
    return current


@transaction.atomic
def offer_accept(*, actor, registration: Registration) -> Registration:
    if registration.person_id != actor.pk:
        raise NotFound()
    moved = Registration.objects.filter(
        pk=registration.pk, status=Status.OFFERED, offered_until__gt=timezone.now()
    ).update(status=Status.CONFIRMED, offered_until=None)
    if not moved:
        raise ValidationFailed(_("This offer has expired or was answered already."), field="status")
    registration.refresh_from_db()
    audit.record(actor, "registration.accept_offer", registration, {})
    return registration


@transaction.atomic
def offer_expire(*, registration_id: int, now=None) -> bool:
    """An unanswered offer lapses and passes to the next in line. Safe to run twice."""
    now = now or timezone.now()
    found = Registration.objects.filter(pk=registration_id).values_list("activity_id").first()
    if found is None:
        return False
    _lock_activity(found[0])  # the activity before the registration, as everywhere
    offer = (
        Registration.objects.select_for_update()
        .select_related("activity")
        .filter(pk=registration_id, status=Status.OFFERED, offered_until__lte=now)
        .first()
    )
    if offer is None:
        return False
    offer.status = Status.EXPIRED
    offer.save(update_fields=["status", "changed_at"])
    _promote_next(offer.activity)
    audit.record(None, "registration.offer_expired", offer, {})
    return True
