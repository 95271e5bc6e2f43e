"""A weekly series as a whole: its text message says how many weeks; it is cancelled at
once (service, page that asks first, API) and downloaded as one calendar file."""

import pytest
from django.utils import timezone
from icalendar import Calendar

from dangqun.bookings import services
from dangqun.bookings.models import Booking, BookingSeries
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.models import AuditEntry
from dangqun.people.models import StaffRole
from tests import factories
from tests.bookings.helpers import ahead, at, direct_booking
from tests.clients import Api, page_client

pytestmark = pytest.mark.django_db

Status = Booking.Status


def series_of(person, space, weeks=4, *, actor=None):
    return services.booking_series_create(
        actor=actor or person,
        booker=person,
        space=space,
        start=at(ahead(), "10:00"),
        end=at(ahead(), "11:00"),
        purpose="每周读书会",
        headcount=5,
        weeks=weeks,
    )


def statuses(series) -> list[str]:
    return list(series.bookings.order_by("start").values_list("status", flat=True))


@pytest.fixture
def committed(django_capture_on_commit_callbacks, sms_outbox):
    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


# The text messages say how many weeks


def test_the_text_of_a_new_series_says_how_many_weeks(resident, space, committed, sms_outbox):
    committed(series_of, person=resident, space=space, weeks=4)
    assert len(sms_outbox) == 1
    assert "共4周" in sms_outbox[0][1]
    assert "每周" in sms_outbox[0][1]


def test_the_english_text_says_how_many_weeks(space, committed, sms_outbox):
    english = factories.PersonFactory(mobile="13912340077", language="en")
    committed(series_of, person=english, space=space, weeks=3)
    assert "every week for 3 weeks" in sms_outbox[0][1]


# Cancelling every week at once


def test_the_booker_cancels_every_week_at_once(resident, space, committed, sms_outbox):
    series = series_of(resident, space, weeks=4)
    sms_outbox.clear()
    cancelled = committed(
        services.booking_series_cancel, actor=resident, series=series, reason="改期"
    )
    assert len(cancelled) == 4
    assert statuses(series) == [Status.CANCELLED] * 4
    assert {b.reason for b in series.bookings.all()} == {"改期"}
    assert len(sms_outbox) == 1  # one message for the whole series, not one a week
    assert "已取消" in sms_outbox[0][1] and "4" in sms_outbox[0][1]
    entry = AuditEntry.objects.get(action="booking_series.cancel")
    assert entry.data == {"weeks": 4, "by_staff": False}
    # The times are free again.
    assert not Booking.objects.filter(status__in=Booking.ACTIVE).exists()


def test_weeks_over_or_cancelled_already_stay_as_they_were(resident, space):
    series = BookingSeries.objects.create(space=space, booker=resident, weeks=3)
    past = direct_booking(space, resident, at(ahead(-7), "10:00"), series=series)
    gone = direct_booking(
        space, resident, at(ahead(0), "23:00"), series=series, status=Status.CANCELLED
    )
    coming = direct_booking(space, resident, at(ahead(7), "10:00"), series=series)
    cancelled = services.booking_series_cancel(actor=resident, series=series)
    assert [b.pk for b in cancelled] == [coming.pk]
    past.refresh_from_db()
    gone.refresh_from_db()
    coming.refresh_from_db()
    assert (past.status, gone.status, coming.status) == (
        Status.CONFIRMED,
        Status.CANCELLED,
        Status.CANCELLED,
    )


def test_a_series_with_nothing_left_cannot_be_cancelled(resident, space):
    series = series_of(resident, space, weeks=2)
    services.booking_series_cancel(actor=resident, series=series)
    with pytest.raises(ValidationFailed) as caught:
        services.booking_series_cancel(actor=resident, series=series)
    assert caught.value.field == "status"


def test_only_the_booker_or_the_space_staff_cancel_a_series(resident, other, space, district):
    series = series_of(resident, space, weeks=2)
    with pytest.raises(NotFound):
        services.booking_series_cancel(actor=other, series=series)
    assert statuses(series) == [Status.CONFIRMED] * 2
    staff = factories.staff(
        StaffRole.Role.CENTER_STAFF, district.xianlin, space.center, mobile="13912340055"
    )
    services.booking_series_cancel(actor=staff, series=series)
    assert statuses(series) == [Status.CANCELLED] * 2


# The pages: the booking shows its series; cancelling asks first


def test_the_booking_page_offers_the_whole_series(resident, space):
    series = series_of(resident, space, weeks=3)
    first = series.bookings.order_by("start").first()
    page = page_client(resident).get(f"/bookings/{first.public_id}/").content.decode()
    assert "Every week, 3 weeks" in page
    assert f'href="/bookings/series/{series.public_id}/cancel/"' in page
    assert f'href="/bookings/series/{series.public_id}.ics"' in page
    assert "Cancel this week only" in page


def test_cancelling_a_series_asks_first_then_cancels_all(
    resident, space, django_capture_on_commit_callbacks, sms_outbox
):
    series = series_of(resident, space, weeks=3)
    me = page_client(resident)
    url = f"/bookings/series/{series.public_id}/cancel/"
    asked = me.get(url)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Cancel all weeks?" in page
    assert "This cancels 3 weeks still to come:" in page
    for week in series.bookings.all():
        assert f"{timezone.localtime(week.start):%Y-%m-%d}" in page
    assert '<form method="post"' in page
    assert statuses(series) == [Status.CONFIRMED] * 3  # asking changed nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = me.post(url, {"reason": "不办了"}, follow=True)
    assert response.redirect_chain == [("/bookings/", 302)]
    assert "Weeks cancelled: 3." in response.content.decode()
    assert statuses(series) == [Status.CANCELLED] * 3
    assert len(sms_outbox) == 1 and "已取消" in sms_outbox[0][1]

    # Nothing left: the question is not asked again, and a second press says why.
    assert me.get(url)["Location"] == "/bookings/"
    again = me.post(url, follow=True).content.decode()
    assert "No week of this series is left to cancel." in again


def test_another_persons_series_is_not_found(resident, other, space):
    series = series_of(resident, space, weeks=2)
    stranger = page_client(other)
    url = f"/bookings/series/{series.public_id}"
    assert stranger.get(f"{url}/cancel/").status_code == 404
    assert stranger.post(f"{url}/cancel/").status_code == 404
    assert stranger.get(f"{url}.ics").status_code == 404
    assert page_client(resident).get("/bookings/series/not-a-uuid/cancel/").status_code == 404
    assert statuses(series) == [Status.CONFIRMED] * 2


def test_a_series_downloads_as_one_calendar_file(resident, space):
    series = series_of(resident, space, weeks=4)
    services.booking_cancel(actor=resident, booking=series.bookings.order_by("start")[1])
    response = page_client(resident).get(f"/bookings/series/{series.public_id}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert f"booking-series-{series.public_id}.ics" in response["Content-Disposition"]
    events = Calendar.from_ical(response.content).walk("VEVENT")
    starts = sorted(e.decoded("dtstart") for e in events)
    # Every week that still holds its time, the cancelled one left out.
    assert starts == [at(ahead(3 + 7 * i), "10:00") for i in (0, 2, 3)]
    assert all("每周读书会" in str(e["summary"]) for e in events)


# The API


def test_the_api_cancels_a_series(resident, other, space):
    series = series_of(resident, space, weeks=3)
    path = f"/bookings/series/{series.public_id}/cancel"
    assert Api(other, token=True).post(path, {}).status_code == 404
    response = Api(resident, token=True).post(path, {"reason": "不办了"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [b["status"] for b in body] == ["cancelled"] * 3
    assert {b["series_id"] for b in body} == {str(series.public_id)}
    again = Api(resident, token=True).post(path, {})
    assert again.status_code == 400
    assert again.json()["field"] == "status"


def test_the_api_answers_an_unknown_series_404(resident):
    api = Api(resident, token=True)
    for public_id in ("00000000-0000-0000-0000-000000000000", "nope"):
        assert api.post(f"/bookings/series/{public_id}/cancel", {}).status_code == 404
