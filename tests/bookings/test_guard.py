"""The database itself refuses overlapping active bookings, whatever the code above does."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from dangqun.bookings.models import Booking
from tests import factories

SH = ZoneInfo("Asia/Shanghai")


def _raw(space, person, start_hour, end_hour, status="confirmed"):
    day = datetime(2030, 1, 7, tzinfo=SH)
    return Booking.objects.create(
        space=space,
        booker=person,
        created_by=person,
        purpose="x",
        headcount=1,
        status=status,
        start=day + timedelta(hours=start_hour),
        end=day + timedelta(hours=end_hour),
    )


@pytest.fixture
def space(db):
    return factories.SpaceFactory(is_bookable=True)


def test_overlapping_insert_is_refused_by_the_database(space, person):
    _raw(space, person, 9, 11)
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        _raw(space, person, 10, 12)
    assert Booking.objects.count() == 1


def test_touching_and_inactive_bookings_are_allowed(space, person):
    _raw(space, person, 9, 11)
    _raw(space, person, 11, 12)
    _raw(space, person, 9, 12, status="cancelled")
    _raw(space, person, 8, 12, status="rejected")
    other = factories.SpaceFactory(is_bookable=True)
    _raw(other, person, 9, 11)
    assert Booking.objects.count() == 5


def test_reactivating_into_an_overlap_is_refused(space, person):
    _raw(space, person, 9, 11)
    cancelled = _raw(space, person, 10, 12, status="cancelled")
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        Booking.objects.filter(pk=cancelled.pk).update(status="pending")
