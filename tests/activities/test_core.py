"""The heart of activities: places never exceed capacity, the waiting list moves in order,
offers lapse to the next, check-in counts once."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangqun.activities import selectors, services
from dangqun.activities.models import Activity, CheckIn, Registration
from dangqun.core.errors import ValidationFailed
from dangqun.people.models import StaffRole
from tests import factories

Status = Registration.Status


@pytest.fixture
def staff(district):
    return factories.staff(StaffRole.Role.CENTER_STAFF, district.xianlin, district.xianlin_center)


def _register(activity, n):
    return [
        services.registration_create(actor=p, activity=activity)
        for p in (factories.PersonFactory() for _ in range(n))
    ]


def test_capacity_then_waiting_list_in_order(district):
    activity = factories.activity(district.xianlin_center, capacity=2)
    first, second, third, fourth = _register(activity, 4)
    assert [r.status for r in (first, second, third, fourth)] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.WAITLISTED,
    ]
    activity.refresh_from_db()
    assert activity.taken == 2
    assert selectors.waiting_position(fourth) == 2


def test_the_database_refuses_more_places_than_capacity(district):
    activity = factories.activity(district.xianlin_center, capacity=1)
    _register(activity, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(taken=2)


def test_double_sign_up_is_refused(district):
    activity = factories.activity(district.xianlin_center)
    person = factories.PersonFactory()
    services.registration_create(actor=person, activity=activity)
    with pytest.raises(services.AlreadyRegistered):
        services.registration_create(actor=person, activity=activity)
    assert Registration.objects.filter(person=person).count() == 1


def test_a_freed_place_goes_to_the_first_in_line(district):
    activity = factories.activity(district.xianlin_center, capacity=1)
    holder, waiting, later = _register(activity, 3)
    services.registration_cancel(actor=holder.person, registration=holder)
    waiting.refresh_from_db()
    later.refresh_from_db()
    activity.refresh_from_db()
    assert (waiting.status, later.status, activity.taken) == (
        Status.CONFIRMED,
        Status.WAITLISTED,
        1,
    )


def test_an_offer_lapses_to_the_next(district):
    activity = factories.activity(district.xianlin_center, capacity=1, promotion_confirm_hours=2)
    holder, offered, next_one = _register(activity, 3)
    services.registration_cancel(actor=holder.person, registration=holder)
    offered.refresh_from_db()
    assert offered.status == Status.OFFERED
    assert not services.offer_expire(registration_id=offered.pk)  # not due yet
    later = timezone.now() + timedelta(hours=3)
    assert services.offer_expire(registration_id=offered.pk, now=later)
    offered.refresh_from_db()
    next_one.refresh_from_db()
    activity.refresh_from_db()
    assert (offered.status, next_one.status, activity.taken) == (Status.EXPIRED, Status.OFFERED, 1)
    services.offer_accept(actor=next_one.person, registration=next_one)
    next_one.refresh_from_db()
    assert next_one.status == Status.CONFIRMED


def test_check_in_counts_once_and_only_for_its_activity(district, staff):
    activity = factories.activity(district.xianlin_center)
    session = activity.sessions.get()
    session.start = timezone.now() - timedelta(minutes=5)
    session.save()
    registration = _register(activity, 1)[0]
    _, created = services.check_in(
        actor=staff, session=session, registration=registration, method=CheckIn.Method.SHORT_CODE
    )
    _, again = services.check_in(
        actor=staff, session=session, registration=registration, method=CheckIn.Method.SCAN
    )
    assert (created, again) == (True, False)
    other = factories.activity(district.xianlin_center)
    with pytest.raises(ValidationFailed):
        services.check_in(
            actor=staff,
            session=other.sessions.get(),
            registration=registration,
            method=CheckIn.Method.SCAN,
        )
    figures = selectors.attendance(activities=Activity.objects.filter(pk=activity.pk))
    assert (figures["person_times"], figures["people"]) == (1, 1)


def test_someone_waiting_who_walks_in_does_not_jump_the_queue(district, staff):
    """The one door rule: a person on the waiting list who comes to the door is refused,
    even when a place is free, and keeps their place in line (the staff API used to
    confirm them ahead of everyone before them)."""
    activity = factories.activity(district.xianlin_center, capacity=1, walk_ins=True)
    holder, waiting = _register(activity, 2)
    session = activity.sessions.get()
    session.start = timezone.now() - timedelta(minutes=5)
    session.save()
    Activity.objects.filter(pk=activity.pk).update(capacity=2)
    with pytest.raises(ValidationFailed) as refused:
        services.walk_in(actor=staff, session=session, person=waiting.person)
    assert refused.value.field == "mobile"
    waiting.refresh_from_db()
    activity.refresh_from_db()
    assert waiting.status == Status.WAITLISTED and not waiting.check_ins.exists()
    assert (activity.taken, activity.waiting) == (1, 1)


def test_an_activity_with_a_session_begun_cannot_be_published(district, staff):
    activity = factories.activity(district.xianlin_center, status="draft")
    activity.sessions.update(start=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationFailed):
        services.activity_publish(actor=staff, activity=activity)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DRAFT


def test_only_sign_ups_made_by_staff_for_someone_are_audited(district, staff):
    from dangqun.core.models import AuditEntry

    activity = factories.activity(district.xianlin_center, walk_ins=True)
    own = _register(activity, 1)[0]
    walker = factories.PersonFactory()
    on_behalf = services.registration_create(actor=staff, activity=activity, person=walker)
    audited = set(
        AuditEntry.objects.filter(action="registration.create").values_list("object_id", flat=True)
    )
    assert audited == {str(on_behalf.pk)} and str(own.pk) not in audited
