"""Riders' holds: one free slot, one hold per person and per slot, holds that lapse free
themselves, cancel; faults; staff writes scoped by region."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangqun.charging import lapses, services
from dangqun.charging.errors import AlreadyHolding, SlotTaken
from dangqun.charging.models import Cabinet, FaultReport, Reservation, Slot
from dangqun.core import crypto
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.people.models import StaffRole
from tests import factories

from .helpers import room_with_cabinet

pytestmark = pytest.mark.django_db
Status = Reservation.Status


def lapse(hold) -> None:
    """Move a hold into the past, as if its time had run out."""
    now = timezone.now()
    Reservation.objects.filter(pk=hold.pk).update(
        created_at=now - timedelta(minutes=20), expires_at=now - timedelta(seconds=1)
    )


@pytest.fixture
def slots(district):
    _room, cabinet, _secret = room_with_cabinet(district.cangqian)
    return list(Slot.objects.filter(cabinet=cabinet).order_by("number"))


def test_a_rider_holds_a_free_slot_for_the_configured_time(slots, settings):
    settings.CHARGING = {**settings.CHARGING, "RESERVATION_MINUTES": 10}
    rider = factories.PersonFactory()
    hold = services.reservation_create(actor=rider, slot=slots[0])
    assert hold.status == Status.ACTIVE
    minutes = (hold.expires_at - hold.created_at).total_seconds() / 60
    assert 9.9 < minutes <= 10


def test_a_held_slot_cannot_be_held_by_another(slots, english):
    services.reservation_create(actor=factories.PersonFactory(), slot=slots[0])
    with pytest.raises(SlotTaken) as refused:
        services.reservation_create(actor=factories.PersonFactory(), slot=slots[0])
    assert refused.value.status == 409
    assert "holds this slot" in str(refused.value.message)
    assert Reservation.objects.filter(status=Status.ACTIVE).count() == 1


def test_one_hold_per_person(slots):
    rider = factories.PersonFactory()
    services.reservation_create(actor=rider, slot=slots[0])
    with pytest.raises(AlreadyHolding):
        services.reservation_create(actor=rider, slot=slots[1])
    assert Reservation.objects.filter(person=rider).count() == 1


@pytest.mark.parametrize("state", ["charging", "occupied", "fault", "offline"])
def test_only_a_free_slot_can_be_held(slots, state):
    Slot.objects.filter(pk=slots[0].pk).update(state=state)
    with pytest.raises(SlotTaken):
        services.reservation_create(actor=factories.PersonFactory(), slot=slots[0])
    assert not Reservation.objects.exists()


def test_a_silent_cabinet_cannot_be_held(slots):
    Cabinet.objects.update(last_report_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(SlotTaken):
        services.reservation_create(actor=factories.PersonFactory(), slot=slots[0])


def test_an_expired_hold_frees_the_slot_and_the_person(slots):
    first, second = factories.PersonFactory(), factories.PersonFactory()
    old = services.reservation_create(actor=first, slot=slots[0])
    lapse(old)
    taken = services.reservation_create(actor=second, slot=slots[0])
    old.refresh_from_db()
    assert old.status == Status.EXPIRED
    assert taken.status == Status.ACTIVE
    # The first rider may hold again (another slot).
    assert services.reservation_create(actor=first, slot=slots[1]).status == Status.ACTIVE


def test_cancel_frees_the_slot_and_is_the_holders_alone(slots):
    rider = factories.PersonFactory()
    hold = services.reservation_create(actor=rider, slot=slots[0])
    with pytest.raises(NotFound):
        services.reservation_cancel(actor=factories.PersonFactory(), reservation=hold)
    services.reservation_cancel(actor=rider, reservation=hold)
    hold.refresh_from_db()
    assert hold.status == Status.CANCELLED
    # Cancelling twice is harmless; a cancelled hold does not block anyone.
    services.reservation_cancel(actor=rider, reservation=hold)
    services.reservation_create(actor=factories.PersonFactory(), slot=slots[0])


def test_the_expiry_task_lapses_only_holds_past_their_time(slots):
    hold = services.reservation_create(actor=factories.PersonFactory(), slot=slots[0])
    assert lapses.reservation_expire(reservation_id=hold.pk) is False
    lapse(hold)
    assert lapses.reservation_expire(reservation_id=hold.pk) is True
    hold.refresh_from_db()
    assert hold.status == Status.EXPIRED


def test_the_database_refuses_a_second_active_hold_of_a_slot(slots):
    """The guard itself, under the service: a direct insert fails."""
    now = timezone.now()
    Reservation.objects.create(
        slot=slots[0], person=factories.PersonFactory(), expires_at=now + timedelta(minutes=5)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Reservation.objects.create(
            slot=slots[0], person=factories.PersonFactory(), expires_at=now + timedelta(minutes=5)
        )


def test_the_database_refuses_a_second_active_hold_of_a_person(slots):
    rider = factories.PersonFactory()
    now = timezone.now()
    Reservation.objects.create(slot=slots[0], person=rider, expires_at=now + timedelta(minutes=5))
    with pytest.raises(IntegrityError), transaction.atomic():
        Reservation.objects.create(
            slot=slots[1], person=rider, expires_at=now + timedelta(minutes=5)
        )


def test_a_fault_needs_words(slots):
    rider = factories.PersonFactory()
    with pytest.raises(ValidationFailed):
        services.fault_report(actor=rider, slot=slots[0], text="  ")
    fault = services.fault_report(actor=rider, slot=slots[0], text="插座没电")
    assert fault.status == FaultReport.Status.OPEN


def test_a_closing_note_too_long_is_refused_not_cut(district, slots):
    admin = factories.staff(StaffRole.Role.STREET_ADMIN, district.cangqian)
    fault = services.fault_report(actor=factories.PersonFactory(), slot=slots[0], text="坏了")
    with pytest.raises(ValidationFailed) as refused:
        services.fault_close(actor=admin, fault=fault, note="换" * 301)
    assert refused.value.field == "note"
    fault.refresh_from_db()
    assert fault.status == FaultReport.Status.OPEN and fault.note == ""
    closed = services.fault_close(actor=admin, fault=fault, note="  换了插座  ")
    assert closed.note == "换了插座"


def test_staff_of_another_street_cannot_touch_the_room(district, slots):
    outsider = factories.staff(StaffRole.Role.STREET_ADMIN, district.xianlin)
    cabinet = slots[0].cabinet
    with pytest.raises(NotFound):
        services.cabinet_rotate_secret(actor=outsider, cabinet=cabinet)
    fault = services.fault_report(actor=factories.PersonFactory(), slot=slots[0], text="坏了")
    with pytest.raises(NotFound):
        services.fault_close(actor=outsider, fault=fault)
    insider = factories.staff(StaffRole.Role.STREET_ADMIN, district.cangqian)
    services.fault_close(actor=insider, fault=fault, note="已修")
    assert fault.status == FaultReport.Status.CLOSED


def test_rotating_the_secret_replaces_it(district, slots):
    cabinet = slots[0].cabinet
    old = services.cabinet_secret(cabinet)
    admin = factories.staff(StaffRole.Role.STREET_ADMIN, district.cangqian)
    new = services.cabinet_rotate_secret(actor=admin, cabinet=cabinet)
    cabinet.refresh_from_db()
    assert new != old
    assert crypto.decrypt(cabinet.secret_encrypted) == new


def test_cabinet_codes_are_unique_and_slots_bounded(district, slots):
    admin = factories.staff(StaffRole.Role.STREET_ADMIN, district.cangqian)
    room = slots[0].cabinet.room
    with pytest.raises(ValidationFailed):
        services.cabinet_create(actor=admin, room=room, code="CQ-A", charging_slots=2)
    with pytest.raises(ValidationFailed):
        services.cabinet_create(actor=admin, room=room, code="cq-z", charging_slots=0)
    cabinet, _secret = services.cabinet_create(
        actor=admin, room=room, code="cq-z", charging_slots=1, swap_slots=1
    )
    assert list(cabinet.slots.values_list("number", "kind")) == [(1, "charging"), (2, "swap")]


def test_availability_by_station_for_map_cards(district, slots, django_assert_num_queries):
    from dangqun.charging.selectors import availability_by_station

    station = slots[0].cabinet.room.station
    Slot.objects.filter(pk=slots[0].pk).update(state="charging")
    services.reservation_create(actor=factories.PersonFactory(), slot=slots[1])
    with django_assert_num_queries(3):
        summary = availability_by_station([station.pk, 999])
    assert summary == {station.pk: {"free": 4, "total": 6}}
