"""How many people a space holds: the demo's spaces have a capacity, and a booking for more
people is refused by the service, the page and the API, naming the field, even where a kind's
rule would allow more."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangqun import demo
from dangqun.bookings import demo as bookings_demo
from dangqun.bookings import services
from dangqun.bookings.models import Booking, BookingRule
from dangqun.core.errors import ValidationFailed
from dangqun.people.models import Person
from dangqun.places.models import Space
from tests.bookings.helpers import ahead, at
from tests.clients import Api, page_client
from tests.pages import field_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def generous_kind(space):
    """The maker space's kind allows 50 people a booking; the space holds 20."""
    BookingRule.objects.update_or_create(kind=space.kind, defaults={"max_headcount": 50})
    return space


def book(person, space, headcount):
    return services.booking_create(
        actor=person,
        space=space,
        start=at(ahead(), "10:00"),
        end=at(ahead(), "11:00"),
        purpose="读书会",
        headcount=headcount,
    )


def test_a_kind_s_rule_does_not_lift_a_space_over_its_capacity(resident, generous_kind, english):
    with pytest.raises(ValidationFailed) as caught:
        book(resident, generous_kind, 21)
    assert caught.value.field == "headcount"
    assert "at most 20 people fit this space" in str(caught.value.message)
    assert Booking.objects.count() == 0
    assert book(resident, generous_kind, 20).headcount == 20


def test_a_weekly_series_over_the_capacity_is_refused_as_a_whole(resident, space):
    with pytest.raises(ValidationFailed) as caught:
        services.booking_series_create(
            actor=resident,
            space=space,
            start=at(ahead(), "10:00"),
            end=at(ahead(), "11:00"),
            purpose="读书会",
            headcount=21,
            weeks=3,
        )
    assert caught.value.field == "headcount"
    assert Booking.objects.count() == 0


def test_the_page_shows_the_capacity_beside_the_headcount(resident, generous_kind):
    form = {
        "date": ahead().isoformat(),
        "start_time": "10:00",
        "end_time": "11:00",
        "purpose": "读书会",
        "headcount": 21,
    }
    page = page_client(resident).post(f"/bookings/spaces/{generous_kind.pk}/new/", form)
    assert page.status_code == 200
    assert field_error(page.content.decode(), "headcount") == (
        "How many people: at most 20 people fit this space."
    )
    chinese = page_client(resident, language="zh-hans")
    page = chinese.post(f"/bookings/spaces/{generous_kind.pk}/new/", form)
    assert field_error(page.content.decode(), "headcount") == "人数：该功能区最多容纳 20 人。"
    assert Booking.objects.count() == 0


def test_the_api_answers_400_naming_the_headcount(resident, generous_kind):
    response = Api(resident, token=True).post(
        "/bookings",
        {
            "space_id": generous_kind.pk,
            "start": at(ahead(), "10:00").isoformat(),
            "end": at(ahead(), "11:00").isoformat(),
            "purpose": "读书会",
            "headcount": 21,
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "How many people: at most 20 people fit this space.",
        "field": "headcount",
    }
    assert Booking.objects.count() == 0


def test_every_bookable_space_of_the_demo_has_a_capacity_that_binds(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo.load(residents=12)
    bookable = Space.objects.filter(is_bookable=True).exclude(kind__code="charging_room")
    assert bookable.exists()
    assert not bookable.filter(capacity__isnull=True).exists()
    # The demo's own bookings fit their spaces.
    assert Booking.objects.exists()
    assert all(b.headcount <= b.space.capacity for b in Booking.objects.select_related("space"))

    maker = Space.objects.get(name="创客空间")
    resident = Person.objects.filter(is_demo=True, staff_roles__isnull=True).first()
    maker.center.opening_hours = ["08:00-20:00"] * 7
    maker.center.save()
    day = timezone.localdate() + timedelta(days=5)
    with pytest.raises(ValidationFailed) as caught:
        services.booking_create(
            actor=resident,
            space=maker,
            start=at(day, "10:00"),
            end=at(day, "11:00"),
            purpose="太多人",
            headcount=maker.capacity + 1,
        )
    assert caught.value.field == "headcount"


def test_a_capacity_set_by_staff_is_kept_by_the_demo(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo.load(residents=12)
    maker = Space.objects.get(name="创客空间")
    maker.capacity = 8
    maker.save()
    bookings_demo.load_demo()
    maker.refresh_from_db()
    assert maker.capacity == 8
