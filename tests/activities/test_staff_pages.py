"""The back-office activity pages over HTTP: the list and the form, publish, copy, cancel
and finish; the activity's page, walk-ins; the check-in desk by short code, the personal
QR code's address and the door code; the sign-in sheet; the Excel files; exhibition
visitors. Each scoped to the staff member's regions.

Sessions are a few days ahead of today (Shanghai time), inside the default booking rules;
tests of checking in move a session to now."""

import html
import re
from datetime import datetime, time, timedelta
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from dangqun.activities import codes, services
from dangqun.activities.models import (
    Activity,
    ActivitySession,
    CheckIn,
    ExhibitionDay,
    Registration,
)
from dangqun.bookings.models import Booking
from dangqun.core.models import AuditEntry
from dangqun.people.models import Person, PersonTag, StaffRole
from tests import factories
from tests.clients import page_client

pytestmark = pytest.mark.django_db

Role = StaffRole.Role
Status = Registration.Status
LIST = "/staff/activities/"
NEW = "/staff/activities/new/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPEN = ["08:00-20:00"] * 7


# --- helpers --------------------------------------------------------------------------------


def text(response) -> str:
    return html.unescape(response.content.decode())


def field_error(page: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="id_{field}_error">([^<]*)</p>', page)
    return found.group(1) if found else ""


def error_box(page: str) -> str:
    found = re.search(r'<div class="error-box" role="alert">(.*?)</div>', page, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""


def messages_of(page: str) -> list[str]:
    return re.findall(r'<li class="msg[^"]*">([^<]*)</li>', page)


def desk_result(page: str) -> tuple[str, str]:
    """The desk's result line: (kind, text)."""
    found = re.search(
        r'<div class="desk-result (\w+)"[^>]*>\s*<(?:p|h1)>([^<]*)</(?:p|h1)>', page, re.S
    )
    return (found.group(1), found.group(2).strip()) if found else ("", "")


def url(activity, what="") -> str:
    return f"{LIST}{activity.public_id}/{what}"


def local(day, clock: str) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.fromisoformat(clock)))


def ahead(days: int):
    return timezone.localdate() + timedelta(days=days)


def field_value(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def png_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def open_now(activity) -> ActivitySession:
    """Move the activity's first session to now, so its check-in is open."""
    session = activity.sessions.order_by("start").first()
    session.start = timezone.now() - timedelta(minutes=10)
    session.end = timezone.now() + timedelta(hours=1)
    session.save()
    return session


def sign_up(activity, n=1, **person_fields):
    return [
        services.registration_create(
            actor=(p := factories.PersonFactory(**person_fields)), activity=activity, person=p
        )
        for _ in range(n)
    ]


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def open_centers(district):
    """The shared district, both centers open every day."""
    for center in (district.xianlin_center, district.cangqian_center):
        center.opening_hours = OPEN
        center.save()
    return district


@pytest.fixture
def room(open_centers):
    return factories.SpaceFactory(
        center=open_centers.xianlin_center,
        name="暖流之家",
        name_en="Warm Current Home",
        is_bookable=True,
    )


@pytest.fixture
def riders_room(open_centers):
    return factories.SpaceFactory(
        center=open_centers.cangqian_center,
        name="骑手之家",
        name_en="Riders' Home",
        is_bookable=True,
    )


@pytest.fixture
def center_staff(open_centers):
    return factories.staff(
        Role.CENTER_STAFF,
        open_centers.xianlin,
        open_centers.xianlin_center,
        name="赵晓燕",
        mobile="13700000001",
    )


@pytest.fixture
def xianlin_admin(open_centers):
    return factories.staff(
        Role.STREET_ADMIN, open_centers.xianlin, name="钱主任", mobile="13700000002"
    )


@pytest.fixture
def district_admin(open_centers):
    return factories.staff(
        Role.DISTRICT_ADMIN, open_centers.district, name="孙区长", mobile="13700000003"
    )


@pytest.fixture
def desk(center_staff):
    return page_client(center_staff)


@pytest.fixture
def xianlin(open_centers):
    """A published activity of the Xianlin center with walk-ins, two sessions ahead."""
    return factories.activity(
        open_centers.xianlin_center, capacity=3, sessions=2, walk_ins=True, title="亲子阅读会"
    )


@pytest.fixture
def cangqian(open_centers):
    return factories.activity(open_centers.cangqian_center, title="骑手安全培训")


@pytest.fixture
def wang(db):
    return factories.PersonFactory(name="王小明", mobile="13912340001")


def form_data(center, room, **changes) -> dict:
    day = ahead(5)
    now = timezone.localtime()
    data = {
        "title": "亲子阅读会",
        "kind": "class",
        "center": center.slug,
        "partner": "",
        "sub_brand": "",
        "venue": "space",
        "space": str(room.pk),
        "address": "",
        "latitude": "",
        "longitude": "",
        "online_url": "",
        "sessions": f"{day} 10:00-11:30\n{day + timedelta(days=7)} 10:00-11:30",
        "capacity": "20",
        "registration_opens": f"{now - timedelta(hours=1):%Y-%m-%dT%H:%M}",
        "registration_closes": f"{day - timedelta(days=1)}T20:00",
        "eligible_tags": ["party_member"],
        "min_age": "",
        "max_age": "",
        "eligible_region": "",
        "walk_ins": "on",
        "promotion_confirm_hours": "",
        "reminder_minutes": "1440",
        "description": "带孩子一起读书。",
    }
    data.update(changes)
    return data


# --- who sees what --------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(open_centers):
    response = page_client().get(LIST)
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_residents_and_partners_do_not_find_the_pages(open_centers, wang, xianlin):
    partner = factories.staff(Role.PARTNER_STAFF, open_centers.xianlin)
    for person in (wang, partner):
        client = page_client(person)
        assert client.get(LIST).status_code == 404
        assert client.get(url(xianlin)).status_code == 404


def test_the_back_office_links_to_the_activities(center_staff):
    assert 'href="/staff/activities/"' in text(page_client(center_staff).get("/staff/"))


def test_the_list_shows_the_staff_member_s_activities_only(center_staff, xianlin, cangqian):
    sign_up(xianlin, 5)  # three places (two sessions each), two waiting
    page = text(page_client(center_staff).get(LIST))
    assert "亲子阅读会" in page
    assert "骑手安全培训" not in page
    row = re.search(rf'<tr id="activity-{xianlin.public_id}">(.*?)</tr>', page, re.S).group(1)
    cell = re.search(r'<td data-label="Places">(.*?)</td>', row, re.S).group(1)
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() == "3 / 3 2 waiting"


def test_the_district_sees_both_streets_and_filters_by_status(district_admin, xianlin, cangqian):
    client = page_client(district_admin)
    page = text(client.get(LIST))
    assert "亲子阅读会" in page and "骑手安全培训" in page
    services.activity_cancel(actor=district_admin, activity=cangqian, reason="台风")
    page = text(client.get(LIST, {"status": "cancelled"}))
    assert "骑手安全培训" in page and "亲子阅读会" not in page


CANGQIAN_PAGES = [
    ("get", ""),
    ("get", "edit/"),
    ("get", "cancel/"),
    ("get", "check-in/"),
    ("get", "sheet/"),
    ("get", "registrations.xlsx"),
    ("get", "attendance.xlsx"),
    ("get", "visitors/"),
    ("post", "publish/"),
    ("post", "finish/"),
    ("post", "copy/"),
    ("post", "walk-in/"),
]


@pytest.mark.parametrize("method, what", CANGQIAN_PAGES)
def test_a_xianlin_street_admin_gets_404_on_a_cangqian_activity(
    xianlin_admin, cangqian, method, what
):
    cangqian.kind = "exhibition"
    cangqian.save()
    client = page_client(xianlin_admin)
    response = getattr(client, method)(url(cangqian, what), {"days_later": "7"})
    assert response.status_code == 404
    cangqian.refresh_from_db()
    assert cangqian.status == Activity.Status.PUBLISHED
    assert Activity.objects.count() == 1


def test_the_list_s_query_count_does_not_grow(
    center_staff, open_centers, django_assert_max_num_queries
):
    client = page_client(center_staff)
    for _ in range(2):
        sign_up(factories.activity(open_centers.xianlin_center, sessions=2), 2)
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    for _ in range(6):
        sign_up(factories.activity(open_centers.xianlin_center, sessions=2), 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text(client.get(LIST))
    assert page.count('<tr id="activity-') == 8


# --- the form -------------------------------------------------------------------------------


def test_a_new_activity_is_a_draft_with_its_sessions_in_beijing_time(
    center_staff, open_centers, room
):
    university = factories.partner(open_centers.xianlin_center)
    hats = factories.sub_brand(university, open_centers.xianlin_center, name="夏天织帽子")
    data = form_data(
        open_centers.xianlin_center,
        room,
        partner=str(university.public_id),
        sub_brand=str(hats.public_id),
    )
    data["cover"] = SimpleUploadedFile("小明的照片.png", png_bytes(), content_type="image/png")
    response = page_client(center_staff).post(NEW, data)
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(activity)
    assert (activity.status, activity.title, activity.center, activity.space) == (
        Activity.Status.DRAFT,
        "亲子阅读会",
        open_centers.xianlin_center,
        room,
    )
    assert (activity.capacity, activity.eligible_tags, activity.walk_ins) == (
        20,
        ["party_member"],
        True,
    )
    assert (activity.partner, activity.sub_brand) == (university, hats)
    day = ahead(5)
    assert [(s.start, s.end) for s in activity.sessions.all()] == [
        (local(day, "10:00"), local(day, "11:30")),
        (local(day + timedelta(days=7), "10:00"), local(day + timedelta(days=7), "11:30")),
    ]
    assert activity.cover.name.endswith(".png")
    assert "小明" not in activity.cover.name
    assert AuditEntry.objects.filter(action="activity.create", actor=center_staff).exists()


def test_the_form_offers_only_the_user_s_centers_and_their_bookable_spaces(
    center_staff, room, riders_room, open_centers
):
    factories.SpaceFactory(center=open_centers.xianlin_center, name="办公室", is_bookable=False)
    page = text(page_client(center_staff).get(NEW))
    assert 'value="xianlin"' in page and 'value="cangqian"' not in page
    assert "Warm Current Home" in page
    assert "Riders' Home" not in page and "办公室" not in page


def test_an_outside_address_with_coordinates(center_staff, open_centers, room):
    data = form_data(
        open_centers.xianlin_center,
        room,
        venue="address",
        space="",
        address="民丰村文化礼堂",
        latitude="30.2624",
        longitude="119.9723",
    )
    assert page_client(center_staff).post(NEW, data).status_code == 302
    activity = Activity.objects.get()
    assert (activity.venue, activity.space, activity.address) == ("address", None, "民丰村文化礼堂")
    assert (str(activity.latitude), str(activity.longitude)) == ("30.262400", "119.972300")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"title": ""}, "title", "This field is required."),
        ({"title": "   "}, "title", "This field is required."),
        ({"capacity": "0"}, "capacity", "Enter a whole number from 1 to 100000."),
        ({"capacity": "many"}, "capacity", "Enter a whole number."),
        (
            {"sessions": "2030-01-07 10:00-11:30\nnext Monday at ten"},
            "sessions",
            'Line 2: "next Monday at ten" is not like 2030-01-07 09:00-11:30.',
        ),
        (
            {"sessions": "\n2030-01-07 11:30-10:00"},
            "sessions",
            "Line 2: the session must end after it starts.",
        ),
        (
            {"sessions": "2030-02-30 10:00-11:00"},
            "sessions",
            'Line 1: "2030-02-30 10:00-11:00" is not like 2030-01-07 09:00-11:30.',
        ),
        ({"sessions": "  \n "}, "sessions", "Give at least one session, one a line."),
        (
            {"venue": "online", "space": "", "online_url": "http://meeting.example.com/1"},
            "online_url",
            "Enter a web address starting with https://.",
        ),
        (
            {"venue": "online", "space": "", "online_url": ""},
            "online_url",
            "This field is required.",
        ),
        ({"venue": "address", "space": "", "address": ""}, "address", "This field is required."),
        (
            {"venue": "address", "space": "", "address": "礼堂", "latitude": "300"},
            "latitude",
            "Latitude must be a number between -90 and 90.",
        ),
        ({"space": ""}, "space", "Choose a space of the organising center."),
        ({"min_age": "60", "max_age": "20"}, "max_age", "The minimum age is above the maximum."),
        ({"promotion_confirm_hours": "0"}, "promotion_confirm_hours", "Enter a whole number"),
        ({"eligible_tags": ["astronaut"]}, "eligible_tags", "Select a valid choice."),
        ({"kind": "party"}, "kind", "Select a valid choice."),
    ],
)
def test_bad_input_is_named_beside_its_field_and_nothing_is_saved(
    center_staff, open_centers, room, changes, field, message
):
    response = page_client(center_staff).post(
        NEW, form_data(open_centers.xianlin_center, room, **changes)
    )
    page = text(response)
    assert response.status_code == 200
    assert field_error(page, field).startswith(message)
    assert not Activity.objects.exists()
    assert not ActivitySession.objects.exists()


def test_a_window_that_closes_before_it_opens_is_refused(center_staff, open_centers, room):
    data = form_data(open_centers.xianlin_center, room)
    data["registration_opens"], data["registration_closes"] = (
        data["registration_closes"],
        data["registration_opens"],
    )
    page = text(page_client(center_staff).post(NEW, data))
    assert field_error(page, "registration_closes") == "Sign-up must close after it opens."
    assert not Activity.objects.exists()


def test_a_space_of_another_center_is_refused(district_admin, open_centers, room, riders_room):
    data = form_data(open_centers.xianlin_center, riders_room)
    page = text(page_client(district_admin).post(NEW, data))
    assert field_error(page, "space") == "Choose a space of the organising center."
    assert not Activity.objects.exists()


def test_a_space_outside_the_user_s_regions_is_not_a_choice(
    center_staff, open_centers, riders_room
):
    page = text(
        page_client(center_staff).post(NEW, form_data(open_centers.xianlin_center, riders_room))
    )
    assert field_error(page, "space").startswith("Select a valid choice.")
    assert not Activity.objects.exists()


def test_a_cover_that_is_not_a_photo_is_refused_and_nothing_is_saved(
    center_staff, open_centers, room
):
    data = form_data(open_centers.xianlin_center, room)
    data["cover"] = SimpleUploadedFile("cover.png", b"<script>alert(1)</script>")
    page = text(page_client(center_staff).post(NEW, data))
    assert field_error(page, "cover") == "Upload a photo in JPEG, PNG or WebP format."
    assert not Activity.objects.exists()
    assert not ActivitySession.objects.exists()


def test_editing_a_draft_replaces_its_sessions(center_staff, open_centers, room):
    page_client(center_staff).post(NEW, form_data(open_centers.xianlin_center, room))
    activity = Activity.objects.get()
    client = page_client(center_staff)
    page = text(client.get(url(activity, "edit/")))
    assert f"{ahead(5)} 10:00-11:30" in page
    day = ahead(6)
    response = client.post(
        url(activity, "edit/"),
        form_data(
            open_centers.xianlin_center, room, title="亲子共读", sessions=f"{day} 14:00-15:00"
        ),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "亲子共读"
    assert [(s.start, s.end) for s in activity.sessions.all()] == [
        (local(day, "14:00"), local(day, "15:00"))
    ]


def test_a_published_activity_keeps_its_sessions_and_its_capacity_floor(
    center_staff, xianlin, room
):
    sign_up(xianlin, 3)
    before = list(xianlin.sessions.values_list("start", flat=True))
    client = page_client(center_staff)
    page = text(client.get(url(xianlin, "edit/")))
    assert 'name="sessions"' not in page
    data = form_data(xianlin.center, room, venue="address", space="", address="仁和街道")
    data["capacity"] = "2"
    page = text(client.post(url(xianlin, "edit/"), data))
    assert (
        field_error(page, "capacity")
        == "3 people have a place already: the capacity cannot be lower."
    )
    xianlin.refresh_from_db()
    assert xianlin.capacity == 3
    assert list(xianlin.sessions.values_list("start", flat=True)) == before


def test_a_bigger_capacity_moves_the_waiting_list_up(center_staff, xianlin, room):
    *_, first_waiting, second_waiting = sign_up(xianlin, 5)
    data = form_data(xianlin.center, room, venue="address", space="", address="仁和街道")
    data["capacity"] = "4"
    assert page_client(center_staff).post(url(xianlin, "edit/"), data).status_code == 302
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert (first_waiting.status, second_waiting.status) == (Status.CONFIRMED, Status.WAITLISTED)


# --- publish, copy, cancel, finish ----------------------------------------------------------


def test_publishing_books_the_space_for_every_session(center_staff, open_centers, room):
    client = page_client(center_staff)
    client.post(NEW, form_data(open_centers.xianlin_center, room))
    activity = Activity.objects.get()
    response = client.post(url(activity, "publish/"), follow=True)
    assert "The activity is published: residents can sign up." in messages_of(text(response))
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PUBLISHED
    bookings = [s.booking for s in activity.sessions.select_related("booking")]
    assert all(b is not None and b.space == room and b.status == "confirmed" for b in bookings)
    assert [b.start for b in bookings] == [s.start for s in activity.sessions.all()]


def test_a_taken_session_stops_the_publication_with_the_service_s_message(
    center_staff, open_centers, room, wang
):
    client = page_client(center_staff)
    client.post(NEW, form_data(open_centers.xianlin_center, room))
    activity = Activity.objects.get()
    second = activity.sessions.order_by("start")[1]
    Booking.objects.create(
        space=room,
        booker=wang,
        created_by=wang,
        start=second.start + timedelta(minutes=30),
        end=second.start + timedelta(minutes=90),
        purpose="旁人的会",
        headcount=2,
        status="confirmed",
    )
    page = text(client.post(url(activity, "publish/"), follow=True))
    when = f"{timezone.localtime(second.start):%Y-%m-%d %H:%M}"
    *_saved, message = messages_of(page)
    assert message.startswith(f"The space cannot be booked for the session of {when}: ")
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DRAFT
    # The first session's booking went back with the refused publication.
    assert Booking.objects.count() == 1
    assert not activity.sessions.filter(booking__isnull=False).exists()


def test_publishing_twice_says_only_a_draft_can_be(center_staff, xianlin):
    page = text(page_client(center_staff).post(url(xianlin, "publish/"), follow=True))
    assert messages_of(page) == ["Only a draft can be published."]


def test_copy_makes_a_draft_days_later(center_staff, xianlin):
    response = page_client(center_staff).post(url(xianlin, "copy/"), {"days_later": "14"})
    copy = Activity.objects.exclude(pk=xianlin.pk).get()
    assert response.status_code == 302
    assert response["Location"] == url(copy, "edit/")
    assert (copy.status, copy.title, copy.taken) == (Activity.Status.DRAFT, xianlin.title, 0)
    assert copy.registration_opens == xianlin.registration_opens + timedelta(days=14)
    assert [s.start for s in copy.sessions.all()] == [
        s.start + timedelta(days=14) for s in xianlin.sessions.all()
    ]


@pytest.mark.parametrize("days", ["0", "-3", "soon", "9999"])
def test_copy_needs_a_sensible_number_of_days(center_staff, xianlin, days):
    page = text(
        page_client(center_staff).post(url(xianlin, "copy/"), {"days_later": days}, follow=True)
    )
    assert messages_of(page)
    assert Activity.objects.count() == 1


def test_cancelling_needs_a_reason(center_staff, xianlin):
    sign_up(xianlin, 1)
    client = page_client(center_staff)
    page = text(client.get(url(xianlin, "cancel/")))
    assert "1 person signed up gets a text message with your reason." in page
    page = text(client.post(url(xianlin, "cancel/"), {"reason": "  "}))
    assert field_error(page, "reason") == "Say why the activity is cancelled."
    xianlin.refresh_from_db()
    assert xianlin.status == Activity.Status.PUBLISHED


def test_cancelling_tells_everyone_signed_up_and_frees_the_space(
    center_staff, open_centers, room, sms_outbox, django_capture_on_commit_callbacks
):
    client = page_client(center_staff)
    client.post(NEW, form_data(open_centers.xianlin_center, room, capacity="1", eligible_tags=[]))
    activity = Activity.objects.get()
    client.post(url(activity, "publish/"))
    activity.refresh_from_db()
    holder, waiting = sign_up(activity, 2)
    gone = sign_up(activity, 1)[0]
    services.registration_cancel(actor=gone.person, registration=gone)
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(activity, "cancel/"), {"reason": "台风预警"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == Activity.Status.CANCELLED
    told = {mobile: message for mobile, message in sms_outbox if mobile != center_staff.mobile}
    assert set(told) == {holder.person.mobile, waiting.person.mobile}
    assert all("台风预警" in message and activity.title in message for message in told.values())
    # The room's booking is freed without a message: the activity's own message says it all.
    assert [m for to, m in sms_outbox if to == center_staff.mobile] == []
    assert set(activity.registrations.values_list("status", flat=True)) == {Status.CANCELLED}
    assert set(Booking.objects.values_list("status", flat=True)) == {"cancelled"}


def test_finishing(center_staff, xianlin, open_centers):
    client = page_client(center_staff)
    page = text(client.post(url(xianlin, "finish/"), follow=True))
    assert "The activity is marked as over." in messages_of(page)
    xianlin.refresh_from_db()
    assert xianlin.status == Activity.Status.FINISHED
    draft = factories.activity(open_centers.xianlin_center, status="draft")
    page = text(client.post(url(draft, "finish/"), follow=True))
    assert messages_of(page) == ["Only a published activity can be finished."]


# --- the activity's page --------------------------------------------------------------------


def test_the_page_shows_figures_and_registrants_with_masked_mobiles(center_staff, xianlin, wang):
    services.registration_create(actor=wang, activity=xianlin)
    sign_up(xianlin, 4)  # two places, then two waiting
    session = open_now(xianlin)
    registration = Registration.objects.get(person=wang)
    services.check_in(
        actor=center_staff, session=session, registration=registration, method="short_code"
    )
    page = text(page_client(center_staff).get(url(xianlin)))
    figures = {
        label.strip(): int(n)
        for n, label in re.findall(r"<li><strong>(\d+)</strong>([^<]+)</li>", page)
    }
    assert figures == {
        "with a place": 3,
        "waiting": 2,
        "person-times": 1,
        "people": 1,
    }
    assert "王小明" in page and "139****0001" in page
    assert "13912340001" not in page
    assert registration.short_code in page
    row = re.search(rf'<tr id="registration-{registration.public_id}">(.*?)</tr>', page, re.S)
    local_time = f"{timezone.localtime(registration.check_ins.get().checked_in_at):%H:%M}"
    assert f"✔ {local_time}" in row.group(1)


def test_the_page_s_query_count_does_not_grow_with_registrants(
    center_staff, xianlin, django_assert_max_num_queries
):
    client = page_client(center_staff)
    sign_up(xianlin, 2)
    with django_assert_max_num_queries(40) as few:
        client.get(url(xianlin))
    sign_up(xianlin, 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text(client.get(url(xianlin)))
    assert page.count('<tr id="registration-') == 10


def test_staff_cancel_a_registration_and_the_next_in_line_gets_the_place(
    center_staff, xianlin, sms_outbox, django_capture_on_commit_callbacks
):
    first, *_, waiting = sign_up(xianlin, 4)
    with django_capture_on_commit_callbacks(execute=True):
        response = page_client(center_staff).post(
            url(xianlin, f"registrations/{first.public_id}/cancel/"), follow=True
        )
    assert any("is cancelled" in m for m in messages_of(text(response)))
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert (first.status, waiting.status) == (Status.CANCELLED, Status.CONFIRMED)
    assert [to for to, _ in sms_outbox] == [waiting.person.mobile]


def test_a_registration_of_another_activity_cannot_be_cancelled_through_this_one(
    center_staff, xianlin, open_centers
):
    other = factories.activity(open_centers.xianlin_center)
    registration = sign_up(other, 1)[0]
    response = page_client(center_staff).post(
        url(xianlin, f"registrations/{registration.public_id}/cancel/")
    )
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


# --- walk-ins -------------------------------------------------------------------------------


def walk_in_data(session, mobile="13655550001", name="李阿姨", consent="on") -> dict:
    return {"session": session.pk, "mobile": mobile, "name": name, "consent": consent}


def test_a_walk_in_with_a_new_mobile_gets_an_account_and_is_checked_in(center_staff, xianlin, desk):
    session = open_now(xianlin)
    response = desk.post(url(xianlin, "walk-in/"), walk_in_data(session), follow=True)
    person = Person.objects.get(mobile="13655550001")
    assert person.name == "李阿姨" and person.privacy_consent_at is not None
    registration = Registration.objects.get(person=person)
    assert (registration.status, registration.is_walk_in) == (Status.CONFIRMED, True)
    entry = CheckIn.objects.get(registration=registration)
    assert (entry.session, entry.method, entry.by) == (session, "walk_in", center_staff)
    consent = AuditEntry.objects.get(action="person.consent_at_counter")
    assert (consent.actor, consent.object_id) == (center_staff, str(person.pk))
    assert f"✔ 李** is checked in at {timezone.localtime(entry.checked_in_at):%H:%M}." in (
        messages_of(text(response))
    )


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"consent": ""}, "consent", "Ask the person to read the privacy notice"),
        ({"name": ""}, "name", "This mobile number has no account yet: enter the person's name."),
        ({"mobile": "12345"}, "mobile", "Enter"),
    ],
)
def test_a_new_walk_in_needs_a_name_consent_and_a_real_mobile(
    xianlin, desk, changes, field, message
):
    session = open_now(xianlin)
    people = Person.objects.count()
    page = text(desk.post(url(xianlin, "walk-in/"), {**walk_in_data(session), **changes}))
    assert field_error(page, field).startswith(message)
    assert Person.objects.count() == people
    assert not Registration.objects.exists()


def test_a_known_walk_in_needs_only_the_mobile(xianlin, desk, wang):
    session = open_now(xianlin)
    desk.post(url(xianlin, "walk-in/"), walk_in_data(session, mobile=wang.mobile, name=""))
    assert CheckIn.objects.get().registration.person == wang
    wang.refresh_from_db()
    assert wang.name == "王小明"
    assert not AuditEntry.objects.filter(action="person.consent_at_counter").exists()


def test_a_walk_in_who_signed_up_before_is_just_checked_in(xianlin, desk, wang):
    registration = services.registration_create(actor=wang, activity=xianlin)
    session = open_now(xianlin)
    desk.post(url(xianlin, "walk-in/"), walk_in_data(session, mobile=wang.mobile, name=""))
    entry = CheckIn.objects.get()
    assert entry.registration == registration
    assert Registration.objects.count() == 1


def test_a_full_activity_takes_no_walk_in_and_nothing_is_saved(xianlin, desk):
    sign_up(xianlin, 3)
    session = open_now(xianlin)
    people = Person.objects.count()
    page = text(desk.post(url(xianlin, "walk-in/"), walk_in_data(session)))
    assert "The activity is full." in error_box(page)
    assert Person.objects.count() == people
    assert Registration.objects.count() == 3
    assert not CheckIn.objects.exists()


def test_a_walk_in_outside_the_check_in_window_leaves_nothing_behind(xianlin, desk):
    session = xianlin.sessions.first()  # days ahead
    page = text(desk.post(url(xianlin, "walk-in/"), walk_in_data(session)))
    assert "Check-in is open from 30 minutes before the session until it ends." in page
    assert not Person.objects.filter(mobile="13655550001").exists()
    assert not Registration.objects.exists()


def test_an_activity_without_walk_ins_refuses_them(xianlin, desk, wang):
    xianlin.walk_ins = False
    xianlin.save()
    session = open_now(xianlin)
    page = text(desk.post(url(xianlin, "walk-in/"), walk_in_data(session, mobile=wang.mobile)))
    assert "This activity does not take walk-ins." in error_box(page)
    assert not Registration.objects.exists()


def test_a_waiting_walk_in_is_told_so(xianlin, desk, wang):
    sign_up(xianlin, 3)
    services.registration_create(actor=wang, activity=xianlin)
    session = open_now(xianlin)
    page = text(desk.post(url(xianlin, "walk-in/"), walk_in_data(session, mobile=wang.mobile)))
    assert field_error(page, "mobile") == (
        "This person signed up already and has no confirmed place (On the waiting list)."
    )
    assert not CheckIn.objects.exists()


# --- the check-in desk ----------------------------------------------------------------------


def test_the_desk_goes_straight_to_the_open_session(xianlin, desk):
    session = open_now(xianlin)
    response = desk.get(url(xianlin, "check-in/"))
    assert response.status_code == 302
    assert response["Location"] == url(xianlin, f"check-in/?session={session.pk}")


def test_with_no_open_session_the_desk_asks_which(xianlin, desk):
    page = text(desk.get(url(xianlin, "check-in/")))
    for session in xianlin.sessions.all():
        assert f"?session={session.pk}" in page


def test_checking_in_by_short_code_once(xianlin, desk, wang):
    registration = services.registration_create(actor=wang, activity=xianlin)
    session = open_now(xianlin)
    desk_url = url(xianlin, f"check-in/?session={session.pk}")
    page = text(desk.get(desk_url))
    assert re.search(r'<input type="text" name="code"[^>]*autofocus', page)
    typed = f" {registration.short_code[:3].lower()} {registration.short_code[3:]}"
    page = text(desk.post(desk_url, {"code": typed}))
    assert desk_result(page) == ("ok", "✔ 王** checked in")
    assert "0 of 1 checked in" not in page and "1 of 1 checked in" in page
    entry = CheckIn.objects.get()
    assert (entry.registration, entry.method) == (registration, "short_code")
    assert entry.by == desk_user(desk)
    page = text(desk.post(desk_url, {"code": registration.short_code}))
    when = f"{timezone.localtime(entry.checked_in_at):%H:%M}"
    assert desk_result(page) == ("again", f"王** was already checked in at {when}.")
    assert CheckIn.objects.count() == 1


def desk_user(client) -> Person:
    return Person.objects.get(pk=client.session["_auth_user_id"])


def test_the_desk_refuses_another_activity_s_code(xianlin, desk, open_centers, wang):
    other = factories.activity(open_centers.xianlin_center)
    registration = services.registration_create(actor=wang, activity=other)
    session = open_now(xianlin)
    page = text(
        desk.post(
            url(xianlin, f"check-in/?session={session.pk}"), {"code": registration.short_code}
        )
    )
    assert desk_result(page) == ("error", "This code belongs to another activity.")
    assert not CheckIn.objects.exists()


def test_the_desk_refuses_a_person_without_a_confirmed_place(xianlin, desk, wang):
    sign_up(xianlin, 3)
    waiting = services.registration_create(actor=wang, activity=xianlin)
    session = open_now(xianlin)
    page = text(
        desk.post(url(xianlin, f"check-in/?session={session.pk}"), {"code": waiting.short_code})
    )
    assert desk_result(page) == (
        "error",
        "王**: This person has no confirmed place (On the waiting list).",
    )
    services.registration_cancel(actor=wang, registration=waiting)
    page = text(
        desk.post(url(xianlin, f"check-in/?session={session.pk}"), {"code": waiting.short_code})
    )
    assert desk_result(page) == ("error", "王**: This person has no confirmed place (Cancelled).")
    assert not CheckIn.objects.exists()


def test_the_desk_says_when_nobody_has_the_code(xianlin, desk):
    session = open_now(xianlin)
    page = text(desk.post(url(xianlin, f"check-in/?session={session.pk}"), {"code": "ZZZZ99"}))
    assert desk_result(page) == ("error", "No sign-up has the code ZZZZ99. Check the letters.")


def test_the_desk_refuses_outside_the_check_in_window(xianlin, desk, wang):
    registration = services.registration_create(actor=wang, activity=xianlin)
    session = xianlin.sessions.first()
    page = text(
        desk.post(
            url(xianlin, f"check-in/?session={session.pk}"), {"code": registration.short_code}
        )
    )
    kind, said = desk_result(page)
    assert kind == "error"
    assert said.endswith("Check-in is open from 30 minutes before the session until it ends.")
    assert not CheckIn.objects.exists()


def test_a_session_of_another_activity_is_not_found(xianlin, desk, open_centers):
    other = factories.activity(open_centers.xianlin_center)
    response = desk.get(url(xianlin, f"check-in/?session={other.sessions.get().pk}"))
    # Not this activity's session: the desk asks which of its own sessions is meant.
    assert response.status_code == 200
    offered = re.findall(
        r'class="card pick-session[^"]*" href="[^"]*\?session=(\d+)"', text(response)
    )
    assert sorted(map(int, offered)) == sorted(s.pk for s in xianlin.sessions.all())


def test_the_door_code_leads_to_the_resident_door_page_and_refreshes(xianlin, desk):
    session = open_now(xianlin)
    page = text(desk.get(url(xianlin, f"check-in/?session={session.pk}")))
    fragment = f'hx-get="{url(xianlin, "door-code/")}?session={session.pk}"'
    assert fragment in page and 'hx-trigger="every 60s"' in page
    response = desk.get(url(xianlin, f"door-code/?session={session.pk}"))
    assert response.status_code == 200
    assert "<svg" in text(response)
    assert "<html" not in text(response)


def test_the_door_code_s_address_names_its_session(xianlin, desk):
    session = open_now(xianlin)
    page = text(desk.get(url(xianlin, f"door-code/?session={session.pk}")))
    address = re.search(
        r'<a class="door-link" href="http://testserver(/activities/door/([^/"]+)/)"', page
    )
    assert address is not None
    assert codes.session_from_door_token(address.group(2)) == session
    # The QR code holds the same address.
    assert codes.qr_svg(f"http://testserver{address.group(1)}") in page


def test_checking_out(xianlin, desk, wang):
    registration = services.registration_create(actor=wang, activity=xianlin)
    session = open_now(xianlin)
    desk.post(url(xianlin, f"check-in/?session={session.pk}"), {"code": registration.short_code})
    response = desk.post(
        url(xianlin, "check-out/"),
        {"session": session.pk, "registration": str(registration.public_id)},
        follow=True,
    )
    entry = CheckIn.objects.get()
    assert entry.checked_out_at is not None
    assert any(m.startswith("王** is checked out at") for m in messages_of(text(response)))
    bad = desk.post(url(xianlin, "check-out/"), {"session": session.pk, "registration": "x"})
    assert bad.status_code == 404


# --- the personal QR code's address ---------------------------------------------------------


def scan_url(registration, **query) -> str:
    token = codes.personal_token(registration)
    suffix = "".join(f"?{k}={v}" for k, v in query.items())
    return f"/staff/activities/check-in/{token}/{suffix}"


def test_staff_scanning_a_personal_code_check_the_person_in(xianlin, desk, wang):
    registration = services.registration_create(actor=wang, activity=xianlin)
    session = open_now(xianlin)
    page = text(desk.get(scan_url(registration)))
    assert desk_result(page) == ("ok", "✔ 王** checked in")
    entry = CheckIn.objects.get()
    assert (entry.session, entry.method) == (session, "scan")
    page = text(desk.get(scan_url(registration)))
    assert desk_result(page)[0] == "again"
    assert CheckIn.objects.count() == 1


def test_the_desk_s_session_goes_with_the_scan(xianlin, desk, wang, open_centers):
    registration = services.registration_create(actor=wang, activity=xianlin)
    session = open_now(xianlin)
    desk.get(scan_url(registration, session=session.pk))
    assert CheckIn.objects.get().session == session
    other = factories.activity(open_centers.xianlin_center)
    other_session = open_now(other)
    page = text(desk.get(scan_url(registration, session=other_session.pk)))
    assert desk_result(page) == ("error", "This code belongs to another activity.")
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize("session", ["abc", "²", "99999999"])
def test_a_session_the_desk_cannot_see_is_not_found(xianlin, desk, wang, session):
    registration = services.registration_create(actor=wang, activity=xianlin)
    open_now(xianlin)
    assert desk.get(scan_url(registration, session=session)).status_code == 404
    assert not CheckIn.objects.exists()


def test_with_two_sessions_open_the_scan_asks_which(xianlin, desk, wang):
    registration = services.registration_create(actor=wang, activity=xianlin)
    now = timezone.now()
    xianlin.sessions.update(start=now - timedelta(minutes=5), end=now + timedelta(hours=1))
    page = text(desk.get(scan_url(registration)))
    assert "Which session?" in page
    assert not CheckIn.objects.exists()
    for session in xianlin.sessions.all():
        assert f'href="?session={session.pk}"' in page


def test_with_no_session_open_the_scan_says_so(xianlin, desk, wang):
    registration = services.registration_create(actor=wang, activity=xianlin)
    page = text(desk.get(scan_url(registration)))
    assert "No session is open for check-in now" in page
    assert not CheckIn.objects.exists()


def test_anyone_but_the_center_s_staff_is_asked_to_show_the_code(xianlin, wang, open_centers):
    registration = services.registration_create(actor=wang, activity=xianlin)
    open_now(xianlin)
    cangqian_staff = factories.staff(
        Role.CENTER_STAFF, open_centers.cangqian, open_centers.cangqian_center
    )
    for client in (page_client(), page_client(wang), page_client(cangqian_staff)):
        response = client.get(scan_url(registration))
        assert response.status_code == 200
        assert "Show it to the staff at the activity" in text(response)
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("forge", ["tampered", "garbage", "other_salt"])
def test_a_forged_code_is_not_found_and_nothing_is_saved(xianlin, desk, wang, forge):
    from django.core import signing

    registration = services.registration_create(actor=wang, activity=xianlin)
    open_now(xianlin)
    token = codes.personal_token(registration)
    forged = {
        "tampered": token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),
        "garbage": "not-a-token",
        "other_salt": signing.dumps(
            {"r": str(registration.public_id), "a": str(xianlin.public_id)}, compress=True
        ),
    }[forge]
    response = desk.get(f"/staff/activities/check-in/{forged}/")
    assert response.status_code == 404
    assert "This check-in code is not valid." in text(response)
    assert not CheckIn.objects.exists()


# --- the sign-in sheet and the Excel files --------------------------------------------------


def test_the_sign_in_sheet_masks_names_and_mobiles(center_staff, xianlin, wang):
    registration = services.registration_create(actor=wang, activity=xianlin)
    sign_up(xianlin, 3)  # two more places, one waiting
    waiting = Registration.objects.get(status=Status.WAITLISTED)
    session = xianlin.sessions.first()
    page = text(page_client(center_staff).get(url(xianlin, f"sheet/?session={session.pk}")))
    assert "王**" in page and "139****0001" in page and registration.short_code in page
    assert "王小明" not in page and "13912340001" not in page
    assert waiting.short_code not in page
    assert "Signature" in page and 'onclick="window.print()"' in page
    assert "3 people with a place" in page
    assert page.count('<tr class="blank">') == 5


def test_the_sheet_asks_for_the_session(center_staff, xianlin):
    page = text(page_client(center_staff).get(url(xianlin, "sheet/")))
    assert all(f"sheet/?session={s.pk}" in page for s in xianlin.sessions.all())


def read_xlsx(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return openpyxl.load_workbook(BytesIO(response.content))


def test_the_registrations_file(center_staff, xianlin, wang):
    services.registration_create(actor=wang, activity=xianlin)
    formula = factories.PersonFactory(name="=HYPERLINK(1)", mobile="13812345678")
    services.registration_create(actor=formula, activity=xianlin)
    session = open_now(xianlin)
    registration = Registration.objects.get(person=wang)
    services.check_in(
        actor=center_staff, session=session, registration=registration, method="short_code"
    )
    book = read_xlsx(page_client(center_staff).get(url(xianlin, "registrations.xlsx")))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == (
        "Name",
        "Mobile number",
        "Status",
        "Short code",
        "Walk-in",
        "Signed up at",
        "Sessions attended",
    )
    assert len(rows[0]) == 7 + xianlin.sessions.count()
    assert rows[1][:5] == ("王小明", "139****0001", "Confirmed", registration.short_code, None)
    assert rows[1][6] == 1
    checked_in = timezone.localtime(registration.check_ins.get().checked_in_at)
    assert rows[1][7].replace(second=0, microsecond=0) == checked_in.replace(
        tzinfo=None, second=0, microsecond=0
    )
    assert rows[2][0] == "=HYPERLINK(1)"
    assert sheet.cell(row=3, column=1).data_type == "s"
    assert "13912340001" not in str(rows)
    export = AuditEntry.objects.get(action="activity.export")
    assert (export.actor, export.data) == (center_staff, {"what": "registrations", "rows": 2})


def test_the_attendance_file(center_staff, xianlin, wang):
    registration = services.registration_create(actor=wang, activity=xianlin)
    session = open_now(xianlin)
    services.check_in(
        actor=center_staff, session=session, registration=registration, method="short_code"
    )
    book = read_xlsx(page_client(center_staff).get(url(xianlin, "attendance.xlsx")))
    check_ins = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(check_ins) == 2
    assert check_ins[1][1:5] == (
        "王小明",
        "139****0001",
        registration.short_code,
        "Staff typed the short code",
    )
    assert check_ins[1][7] == "赵晓燕"
    figures = dict(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert (figures["Person-times"], figures["Distinct people"], figures["Sessions"]) == (1, 1, 2)
    assert AuditEntry.objects.get(action="activity.export").data == {
        "what": "attendance",
        "rows": 1,
    }


# --- exhibitions ----------------------------------------------------------------------------


@pytest.fixture
def exhibition(open_centers):
    return factories.activity(
        open_centers.xianlin_center,
        kind="exhibition",
        title="民丰村传统文化展",
        capacity=100,
        sessions=2,
    )


def test_visitors_are_counted_per_day_with_the_check_ins(center_staff, exhibition, wang):
    registration = services.registration_create(actor=wang, activity=exhibition)
    session = open_now(exhibition)
    services.check_in(actor=center_staff, session=session, registration=registration, method="scan")
    today = timezone.localdate()
    client = page_client(center_staff)
    response = client.post(url(exhibition, "visitors/"), {"date": today, "visitors": "120"})
    assert response.status_code == 302
    client.post(url(exhibition, "visitors/"), {"date": today, "visitors": "125"})
    yesterday = today - timedelta(days=1)
    client.post(url(exhibition, "visitors/"), {"date": yesterday, "visitors": "80"})
    assert dict(ExhibitionDay.objects.values_list("date", "visitors")) == {
        today: 125,
        yesterday: 80,
    }
    page = text(client.get(url(exhibition, "visitors/")))
    cells = [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>")[1].split("</tbody>")[0])
    ]
    assert cells == [
        [f"{today:%Y-%m-%d} {today:%a}", "1", "125", "126"],
        [f"{yesterday:%Y-%m-%d} {yesterday:%a}", "0", "80", "80"],
    ]
    assert "visitors counted" in text(client.get(url(exhibition)))


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"visitors": "-1"}, "visitors", "Enter the number of visitors (0 or more)."),
        ({"date": "tomorrow"}, "date", "Enter a valid date."),
        ({"date": "future"}, "date", "Visitors can be counted only for today or earlier."),
    ],
)
def test_bad_visitor_counts_are_refused(center_staff, exhibition, data, field, message):
    values = {"date": timezone.localdate(), "visitors": "10", **data}
    if values["date"] == "future":
        values["date"] = timezone.localdate() + timedelta(days=1)
    page = text(page_client(center_staff).post(url(exhibition, "visitors/"), values))
    assert field_error(page, field) == message
    assert not ExhibitionDay.objects.exists()


def test_only_exhibitions_have_a_visitors_page(center_staff, xianlin):
    assert page_client(center_staff).get(url(xianlin, "visitors/")).status_code == 404


def test_tags_are_shown_by_their_names(center_staff, open_centers):
    activity = factories.activity(
        open_centers.xianlin_center, eligible_tags=[PersonTag.Tag.PARTY_MEMBER]
    )
    page = text(page_client(center_staff).get(url(activity)))
    assert str(PersonTag.Tag.PARTY_MEMBER.label) in page
