"""The writes of space booking (dangqun/bookings/services.py): booking and its refusals,
approval, rejection and cancellation with their text messages, weekly series all or
nothing, booking rules and closed dates edited by staff.

Fixed dates in 2030 in Asia/Shanghai; the kinds' rules are opened to book that far ahead."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone, translation

from dangqun.bookings import rules, services
from dangqun.bookings.errors import AlreadyBooked, SeriesConflicts
from dangqun.bookings.models import Booking, BookingRule, BookingSeries, ClosedDate
from dangqun.core.errors import NotFound, PermissionDenied, ValidationFailed
from dangqun.core.models import AuditEntry
from dangqun.people.models import PersonTag, StaffRole
from dangqun.places.models import SpaceKind
from tests import factories
from tests.bookings.helpers import MONDAY, Role, Status, at, book, direct_booking
from tests.clients import Api

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "far_ahead")]


@pytest.fixture
def center(office_hours):
    """The Xianlin center, where room and studio are."""
    return office_hours.xianlin_center


@pytest.fixture
def resident(district):
    return factories.PersonFactory(name="张闲林", mobile="13900001111")


@pytest.fixture
def admin(xianlin_admin):
    return xianlin_admin


@pytest.fixture
def outsider(district):
    return factories.staff(Role.STREET_ADMIN, district.cangqian, name="仓前管理员")


@pytest.fixture
def committed(django_capture_on_commit_callbacks, sms_outbox):
    """Run a service and its on-commit side effects (the text messages)."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


# --- booking ---------------------------------------------------------------------------


def test_a_resident_books_a_free_space_and_gets_a_text(room, resident, committed, sms_outbox):
    booking = committed(
        services.booking_create,
        actor=resident,
        space=room,
        start=at(MONDAY, 9),
        end=at(MONDAY, 10, 30),
        purpose="  读书会  ",
        headcount="5",
    )
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert (booking.booker, booking.created_by) == (resident, resident)
    assert (booking.purpose, booking.headcount) == ("读书会", 5)
    assert [to for to, _text in sms_outbox] == ["13900001111"]
    text = sms_outbox[0][1]
    assert "暖流之家" in text and "2030-01-07 09:00-10:30" in text and "预约成功" in text
    assert AuditEntry.objects.filter(action="booking.create", object_id=str(booking.pk)).exists()


def test_the_text_leaves_only_when_the_booking_is_committed(room, resident, sms_outbox):
    book(resident, room)
    assert sms_outbox == []  # the test's transaction never commits


def test_the_livestream_studio_waits_for_approval(studio, resident, committed, sms_outbox):
    booking = committed(
        services.booking_create,
        actor=resident,
        space=studio,
        start=at(MONDAY, 9),
        end=at(MONDAY, 10),
        purpose="直播带货",
        headcount=3,
    )
    assert booking.status == Status.PENDING
    assert "聚贤里直播间" in sms_outbox[0][1] and "正在等待审核" in sms_outbox[0][1]


def test_a_pending_request_holds_its_time(studio, resident):
    book(resident, studio)
    with pytest.raises(AlreadyBooked):
        book(factories.PersonFactory(), studio, start=(9, 30), end=(10, 30))


def test_staff_book_on_behalf_without_approval(studio, resident, admin, committed, sms_outbox):
    booking = committed(
        services.booking_create,
        actor=admin,
        booker=resident,
        space=studio,
        start=at(MONDAY, 14),
        end=at(MONDAY, 15),
        purpose="直播带岗",
        headcount=2,
    )
    assert booking.status == Status.CONFIRMED
    assert (booking.booker, booking.created_by) == (resident, admin)
    assert [to for to, _text in sms_outbox] == [resident.mobile]
    assert "聚贤里直播间" in sms_outbox[0][1]


def test_only_the_space_s_staff_book_for_someone_else(room, resident, outsider):
    for actor in (factories.PersonFactory(), outsider):
        with pytest.raises(PermissionDenied) as caught:
            book(actor, room, booker=resident)
        assert caught.value.field == "booker"
    assert not Booking.objects.exists()


def test_a_taken_time_is_refused(room, resident):
    book(resident, room, start=(9, 0), end=(10, 0))
    with pytest.raises(AlreadyBooked) as caught:
        book(factories.PersonFactory(), room, start=(9, 30), end=(10, 30))
    assert caught.value.field == "start" and caught.value.status == 409
    book(factories.PersonFactory(), room, start=(10, 0), end=(11, 0))  # touching is fine
    assert Booking.objects.count() == 2


@pytest.mark.parametrize(
    ("when", "field", "words"),
    [
        ({"start": (10, 0), "end": (9, 0)}, "end", "The end must be after the start."),
        ({"start": (7, 0), "end": (8, 0)}, "start", "Outside opening hours"),
        ({"start": (11, 30), "end": (12, 30)}, "start", "Outside opening hours"),
        ({"start": (8, 30), "end": (13, 0)}, "end", "at most 240 minutes"),
        ({"start": (9, 10), "end": (10, 10)}, "start", "30-minute grid"),
        ({"day": MONDAY + timedelta(days=6)}, "start", "Outside opening hours"),  # Sunday
    ],
)
def test_bad_times_are_refused_with_the_field(room, resident, when, field, words):
    with pytest.raises(ValidationFailed) as caught:
        book(resident, room, **when)
    assert caught.value.field == field and words in str(caught.value.message)
    assert not Booking.objects.exists()


def test_a_time_in_the_past_is_refused(room, resident):
    yesterday = timezone.localdate() - timedelta(days=1)
    room.opening_hours = ["24h"] * 7
    room.save()
    with pytest.raises(ValidationFailed, match="in the past"):
        book(resident, room, day=yesterday)


def test_too_far_ahead_is_refused(room, resident):
    BookingRule.objects.filter(kind=room.kind).update(max_days_ahead=30)
    room.opening_hours = ["24h"] * 7
    room.save()
    with pytest.raises(ValidationFailed, match="at most 30 days ahead") as caught:
        book(resident, room, day=timezone.localdate() + timedelta(days=31))
    assert caught.value.field == "start"


def test_a_closed_date_is_refused(room, resident, admin, center):
    services.closed_date_add(actor=admin, center=center, date=MONDAY, reason="设备检修")
    with pytest.raises(ValidationFailed, match="closed on this date"):
        book(resident, room)
    book(resident, room, day=MONDAY + timedelta(days=1))


def test_over_the_headcount_is_refused(room, resident):
    with pytest.raises(ValidationFailed, match="at most 20 people fit this space") as caught:
        book(resident, room, headcount=21)
    assert caught.value.field == "headcount"


def test_a_purpose_is_required(room, resident):
    with pytest.raises(ValidationFailed) as caught:
        book(resident, room, purpose="   ")
    assert caught.value.field == "purpose"


def own_rule(space, **fields):
    """A space's own rule that allows booking in 2030 (the service caps days ahead at 365)."""
    return BookingRule.objects.create(space=space, max_days_ahead=5000, **fields)


def test_groups_the_space_is_for(room, resident):
    own_rule(room, required_tags=[PersonTag.Tag.NEW_EMPLOYMENT])
    with pytest.raises(PermissionDenied, match="New-employment worker") as caught:
        book(resident, room)
    assert caught.value.field == "space"
    factories.tag(resident, PersonTag.Tag.NEW_EMPLOYMENT, trade=PersonTag.Trade.DELIVERY)
    assert book(resident, room).status == Status.CONFIRMED


def test_a_space_closed_to_residents(room, resident, admin):
    own_rule(room, open_to_residents=False)
    with pytest.raises(PermissionDenied, match="Only staff and partners"):
        book(resident, room)
    assert book(admin, room).status == Status.CONFIRMED


def test_a_space_that_is_not_bookable(room, resident):
    room.is_bookable = False
    room.save()
    with pytest.raises(PermissionDenied, match="cannot be booked"):
        book(resident, room)


def test_an_unknown_space_is_404_in_the_api(resident, room):
    response = Api(resident).post(
        "/bookings",
        {
            "space_id": room.pk + 1000,
            "start": "2030-01-07T09:00:00+08:00",
            "end": "2030-01-07T10:00:00+08:00",
            "purpose": "读书会",
            "headcount": 3,
        },
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Booking.objects.exists()


# --- approval ----------------------------------------------------------------------------


@pytest.fixture
def pending(studio, resident):
    return book(resident, studio, purpose="直播带货")


def test_approving_confirms_and_tells_the_booker(pending, admin, committed, sms_outbox):
    booking = committed(services.booking_approve, actor=admin, booking=pending)
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert booking.decided_by == admin and booking.decided_at is not None
    assert sms_outbox == [(pending.booker.mobile, sms_outbox[0][1])]
    assert "审核通过" in sms_outbox[0][1] and "聚贤里直播间" in sms_outbox[0][1]
    assert AuditEntry.objects.filter(action="booking.approve", actor=admin).exists()


def test_approving_twice_is_refused(pending, admin):
    services.booking_approve(actor=admin, booking=pending)
    with pytest.raises(ValidationFailed) as caught:
        services.booking_approve(actor=admin, booking=pending)
    assert caught.value.code == "invalid_transition"


def test_a_confirmed_booking_cannot_be_rejected(room, resident, admin):
    booking = book(resident, room)
    with pytest.raises(ValidationFailed, match="Only a booking waiting for approval"):
        services.booking_reject(actor=admin, booking=booking, reason="不行")
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED


def test_rejecting_needs_a_reason(pending, admin):
    with pytest.raises(ValidationFailed) as caught:
        services.booking_reject(actor=admin, booking=pending, reason="  ")
    assert caught.value.field == "reason"
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_rejecting_tells_the_reason(pending, admin, committed, sms_outbox):
    booking = committed(
        services.booking_reject, actor=admin, booking=pending, reason="当天有参观团"
    )
    assert booking.status == Status.REJECTED and booking.reason == "当天有参观团"
    text = sms_outbox[0][1]
    assert "审核未通过" in text and "聚贤里直播间" in text and text.endswith("当天有参观团")
    # The time is free again.
    assert book(factories.PersonFactory(), booking.space).status == Status.PENDING


def test_a_reason_with_a_percent_sign_is_sent_as_typed(pending, admin, committed, sms_outbox):
    committed(services.booking_reject, actor=admin, booking=pending, reason="已满100%")
    assert sms_outbox[0][1].endswith("已满100%")


def test_staff_of_another_street_cannot_decide(pending, outsider):
    with pytest.raises(NotFound):
        services.booking_approve(actor=outsider, booking=pending)
    with pytest.raises(NotFound):
        services.booking_reject(actor=outsider, booking=pending, reason="x")
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


# --- cancelling ------------------------------------------------------------------------


def test_the_booker_cancels_and_gets_a_text(room, resident, committed, sms_outbox):
    booking = book(resident, room)
    committed(services.booking_cancel, actor=resident, booking=booking, reason="改期")
    booking.refresh_from_db()
    assert (booking.status, booking.reason, booking.decided_by) == (
        Status.CANCELLED,
        "改期",
        resident,
    )
    assert "已取消" in sms_outbox[-1][1] and "暖流之家" in sms_outbox[-1][1]


def test_staff_cancel_for_the_booker(room, resident, admin):
    booking = book(resident, room)
    services.booking_cancel(actor=admin, booking=booking)
    entry = AuditEntry.objects.get(action="booking.cancel")
    assert entry.actor == admin and entry.data == {"by_staff": True}


def test_someone_else_cannot_cancel(room, resident, outsider):
    booking = book(resident, room)
    for actor in (factories.PersonFactory(), outsider):
        with pytest.raises(NotFound):
            services.booking_cancel(actor=actor, booking=booking)
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED


def test_an_ended_booking_cannot_be_cancelled(room, resident):
    ended = direct_booking(
        room, resident, timezone.now() - timedelta(hours=2), purpose="x", headcount=1
    )
    with pytest.raises(ValidationFailed, match="over and cannot be cancelled"):
        services.booking_cancel(actor=resident, booking=ended)
    ended.refresh_from_db()
    assert ended.status == Status.CONFIRMED


def test_cancelling_twice_is_refused(room, resident):
    booking = book(resident, room)
    services.booking_cancel(actor=resident, booking=booking)
    with pytest.raises(ValidationFailed, match="not active"):
        services.booking_cancel(actor=resident, booking=booking)


# --- weekly series ---------------------------------------------------------------------


def weekly(actor, space, weeks=4, **extra):
    return {
        "actor": actor,
        "space": space,
        "start": at(MONDAY, 9),
        "end": at(MONDAY, 10),
        "purpose": "每周读书会",
        "headcount": 8,
        "weeks": weeks,
        **extra,
    }


def test_the_plan_lists_every_week_and_what_stops_it(room, resident, admin, center):
    book(factories.PersonFactory(), room, day=MONDAY + timedelta(weeks=1), start=(9, 30))
    services.closed_date_add(actor=admin, center=center, date=MONDAY + timedelta(weeks=3))
    plan = services.series_plan(**weekly(resident, room))
    assert [timezone.localtime(o.start).date() for o in plan] == [
        MONDAY + timedelta(weeks=i) for i in range(4)
    ]
    assert [bool(o.problem) for o in plan] == [False, True, False, True]
    assert "already booked" in plan[1].problem and "closed" in plan[3].problem
    assert Booking.objects.count() == 1  # planning saves nothing


def test_a_series_with_a_conflict_saves_nothing(room, resident):
    taken = book(factories.PersonFactory(), room, day=MONDAY + timedelta(weeks=2))
    with pytest.raises(SeriesConflicts) as caught:
        services.booking_series_create(**weekly(resident, room))
    conflicts = caught.value.as_dict()["conflicts"]
    assert len(conflicts) == 1 and conflicts[0]["start"].startswith("2030-01-21T09:00")
    assert caught.value.status == 409
    assert list(Booking.objects.all()) == [taken]
    assert not BookingSeries.objects.exists()


def test_a_series_books_every_week(room, resident, committed, sms_outbox):
    series = committed(services.booking_series_create, **weekly(resident, room))
    bookings = list(series.bookings.order_by("start"))
    assert len(bookings) == 4 and {b.status for b in bookings} == {Status.CONFIRMED}
    # Every week at the same wall-clock hour in Shanghai.
    assert {timezone.localtime(b.start).time() for b in bookings} == {time(9)}
    assert len(sms_outbox) == 1 and "暖流之家" in sms_outbox[0][1]


def test_one_week_of_a_series_is_cancelled_alone(room, resident):
    series = services.booking_series_create(**weekly(resident, room, weeks=3))
    second = series.bookings.order_by("start")[1]
    services.booking_cancel(actor=resident, booking=second)
    assert list(series.bookings.order_by("start").values_list("status", flat=True)) == [
        Status.CONFIRMED,
        Status.CANCELLED,
        Status.CONFIRMED,
    ]


@pytest.mark.parametrize("weeks", [1, 27, "x"])
def test_a_series_repeats_two_to_twenty_six_weeks(room, resident, weeks):
    with pytest.raises(ValidationFailed) as caught:
        services.series_plan(**weekly(resident, room, weeks=weeks))
    assert caught.value.field == "weeks"


def test_a_series_in_the_studio_waits_for_approval(studio, resident):
    series = services.booking_series_create(**weekly(resident, studio, weeks=2, headcount=2))
    assert {b.status for b in series.bookings.all()} == {Status.PENDING}


# --- booking rules edited by staff -------------------------------------------------------

GOOD_RULE = {
    "slot_minutes": 60,
    "min_minutes": 60,
    "max_minutes": 180,
    "max_days_ahead": 60,
    "requires_approval": True,
    "max_headcount": 12,
    "open_to_residents": True,
    "open_to_partners": False,
    "required_tags": ["volunteer", "party_member", "volunteer"],
}


def test_staff_save_a_space_s_own_rule(room, admin):
    rule = services.booking_rule_save(actor=admin, space=room, data=GOOD_RULE)
    assert rules.rule_for(room) == rule and rule.space == room
    assert (rule.slot_minutes, rule.max_minutes, rule.max_headcount) == (60, 180, 12)
    assert rule.requires_approval and not rule.open_to_partners
    assert rule.required_tags == ["party_member", "volunteer"]
    entry = AuditEntry.objects.get(action="booking_rule.save")
    assert entry.actor == admin and entry.object_id == str(room.pk)
    assert entry.data["slot_minutes"] == 60 and "open_to_residents" not in entry.data
    # The kind's default is untouched.
    assert BookingRule.objects.get(kind=room.kind).slot_minutes == 30


def test_saving_again_updates_the_same_rule(room, admin):
    services.booking_rule_save(actor=admin, space=room, data=GOOD_RULE)
    services.booking_rule_save(actor=admin, space=room, data={**GOOD_RULE, "max_minutes": 240})
    assert BookingRule.objects.filter(space=room).count() == 1
    assert rules.rule_for(room).max_minutes == 240


def test_fields_left_out_keep_the_rule_in_force(room, admin):
    BookingRule.objects.filter(kind=room.kind).update(max_days_ahead=30)
    services.booking_rule_save(actor=admin, space=room, data={"requires_approval": True})
    rule = rules.rule_for(room)
    assert rule.requires_approval and rule.space_id == room.pk
    assert (rule.slot_minutes, rule.min_minutes, rule.max_minutes) == (30, 30, 240)
    assert rule.max_days_ahead == 30


def test_a_rule_in_force_that_no_longer_fits_must_be_corrected(room, admin):
    # The kinds' rules allow 5000 days here (see the fixture); the service allows 365.
    with pytest.raises(ValidationFailed) as caught:
        services.booking_rule_save(actor=admin, space=room, data={"requires_approval": True})
    assert caught.value.field == "max_days_ahead"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"slot_minutes": 20}, "slot_minutes"),
        ({"slot_minutes": "many"}, "slot_minutes"),
        ({"min_minutes": 90}, "min_minutes"),  # not on the 60-minute grid
        ({"max_minutes": 150}, "max_minutes"),
        ({"min_minutes": 30}, "min_minutes"),  # shorter than a slot
        ({"min_minutes": 240, "max_minutes": 120}, "max_minutes"),
        ({"max_minutes": 25 * 60}, "max_minutes"),
        ({"min_minutes": "1h"}, "min_minutes"),
        ({"max_days_ahead": 0}, "max_days_ahead"),
        ({"max_days_ahead": 400}, "max_days_ahead"),
        ({"max_headcount": 0}, "max_headcount"),
        ({"max_headcount": 21}, "max_headcount"),  # over the room's capacity of 20
        ({"required_tags": ["aliens"]}, "required_tags"),
        ({"required_tags": "volunteer"}, "required_tags"),
    ],
)
def test_a_bad_rule_names_the_field_and_saves_nothing(room, admin, change, field):
    with pytest.raises(ValidationFailed) as caught:
        services.booking_rule_save(actor=admin, space=room, data={**GOOD_RULE, **change})
    assert caught.value.field == field
    assert not BookingRule.objects.filter(space=room).exists()
    assert not AuditEntry.objects.filter(action="booking_rule.save").exists()


def test_an_empty_headcount_limit_means_the_capacity(room, admin):
    rule = services.booking_rule_save(
        actor=admin, space=room, data={**GOOD_RULE, "max_headcount": ""}
    )
    assert rule.max_headcount is None and rules.headcount_limit(rule, room) == 20


def test_a_saved_rule_applies_to_the_next_booking(room, admin, resident):
    room.opening_hours = ["24h"] * 7
    room.save()
    services.booking_rule_save(actor=admin, space=room, data=GOOD_RULE)
    soon = timezone.localdate() + timedelta(days=7)
    with pytest.raises(PermissionDenied, match="Volunteer"):
        book(resident, room, day=soon)
    factories.tag(resident, PersonTag.Tag.VOLUNTEER)
    with pytest.raises(ValidationFailed, match="60-minute grid"):
        book(resident, room, day=soon, start=(9, 30), end=(10, 30))
    assert book(resident, room, day=soon).status == Status.PENDING
    with pytest.raises(ValidationFailed, match="at most 12 people a booking"):
        book(resident, room, day=soon, start=(11, 0), end=(12, 0), headcount=13)


def test_staff_of_another_street_cannot_save_the_rule(room, outsider, resident):
    for actor in (outsider, resident):
        with pytest.raises(NotFound):
            services.booking_rule_save(actor=actor, space=room, data=GOOD_RULE)
    assert not BookingRule.objects.filter(space=room).exists()


def test_resetting_returns_to_the_kind_s_rule(room, admin, outsider):
    services.booking_rule_save(actor=admin, space=room, data=GOOD_RULE)
    with pytest.raises(NotFound):
        services.booking_rule_reset(actor=outsider, space=room)
    rule = services.booking_rule_reset(actor=admin, space=room)
    assert rule.kind_id == room.kind_id and rule.space_id is None
    assert AuditEntry.objects.filter(action="booking_rule.reset").count() == 1


def test_only_district_admins_save_a_kind_s_default(room, admin, district):
    kind = room.kind
    with pytest.raises(NotFound):
        services.booking_kind_rule_save(actor=admin, kind=kind, data=GOOD_RULE)
    boss = factories.staff(Role.DISTRICT_ADMIN, district.district)
    services.booking_kind_rule_save(actor=boss, kind=kind, data={**GOOD_RULE, "max_headcount": 50})
    rule = rules.rule_for(room)
    assert rule.kind_id == kind.pk and rule.max_headcount == 50  # no capacity check for a kind
    assert BookingRule.objects.filter(kind=kind).count() == 1


def test_a_kind_without_a_rule_gets_one(district):
    kind = SpaceKind.objects.create(code="reading_room", name="阅览室")
    boss = factories.staff(Role.DISTRICT_ADMIN, district.district)
    rule = services.booking_kind_rule_save(actor=boss, kind=kind, data={"slot_minutes": 15})
    assert (rule.kind, rule.slot_minutes, rule.min_minutes) == (kind, 15, 30)


# --- closed dates ----------------------------------------------------------------------


def test_closing_and_opening_a_date(center, admin, room, resident):
    closed = services.closed_date_add(actor=admin, center=center, date=MONDAY, reason="检修")
    with pytest.raises(ValidationFailed, match="closed already") as caught:
        services.closed_date_add(actor=admin, center=center, date=MONDAY)
    assert caught.value.field == "date"
    services.closed_date_remove(actor=admin, closed=closed)
    assert not ClosedDate.objects.exists()
    entry = AuditEntry.objects.get(action="closed_date.remove")
    assert entry.actor == admin and entry.data == {"date": "2030-01-07"}
    assert book(resident, room).status == Status.CONFIRMED


def test_staff_of_another_street_cannot_open_a_date(center, admin, outsider):
    closed = services.closed_date_add(actor=admin, center=center, date=MONDAY)
    with pytest.raises(NotFound):
        services.closed_date_remove(actor=outsider, closed=closed)
    assert ClosedDate.objects.filter(pk=closed.pk).exists()


def test_messages_go_out_in_the_bookers_language(
    district, sms_outbox, django_capture_on_commit_callbacks
):
    """The booker chose English; staff working in Chinese still send English."""
    tree = district
    tree.xianlin_center.opening_hours = ["00:00-24:00"] * 7
    tree.xianlin_center.save()
    space = factories.SpaceFactory(center=tree.xianlin_center, is_bookable=True, name="创客空间")
    staff = factories.staff(StaffRole.Role.CENTER_STAFF, tree.xianlin, tree.xianlin_center)
    booker = factories.PersonFactory(language="en")
    start = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=2), time(10))
    )
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        services.booking_create(
            actor=staff,
            booker=booker,
            space=space,
            start=start,
            end=start + timedelta(hours=1),
            purpose="x",
            headcount=1,
        )
    assert sms_outbox[-1][0] == booker.mobile
    assert sms_outbox[-1][1].startswith("[Party-Mass Service] Booked")


def test_a_past_pending_booking_cannot_be_approved(district):
    tree = district
    space = factories.SpaceFactory(center=tree.xianlin_center, is_bookable=True)
    staff = factories.staff(StaffRole.Role.CENTER_STAFF, tree.xianlin, tree.xianlin_center)
    start = timezone.now() - timedelta(hours=3)
    pending = direct_booking(
        space, staff, start, status=Booking.Status.PENDING, purpose="x", headcount=1
    )
    with pytest.raises(ValidationFailed):
        services.booking_approve(actor=staff, booking=pending)
    pending.refresh_from_db()
    assert pending.status == Booking.Status.PENDING


def test_staff_book_for_someone_outside_the_group_rule(district):
    tree = district
    tree.xianlin_center.opening_hours = ["00:00-24:00"] * 7
    tree.xianlin_center.save()
    space = factories.SpaceFactory(center=tree.xianlin_center, is_bookable=True)
    BookingRule.objects.create(space=space, required_tags=["new_employment"])
    staff = factories.staff(StaffRole.Role.CENTER_STAFF, tree.xianlin, tree.xianlin_center)
    resident = factories.PersonFactory()
    start = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=2), time(10))
    )
    with pytest.raises(PermissionDenied):
        services.booking_create(
            actor=resident,
            space=space,
            start=start,
            end=start + timedelta(hours=1),
            purpose="x",
            headcount=1,
        )
    booking = services.booking_create(
        actor=staff,
        booker=resident,
        space=space,
        start=start,
        end=start + timedelta(hours=1),
        purpose="x",
        headcount=1,
    )
    assert booking.booker == resident and booking.status == Booking.Status.CONFIRMED
