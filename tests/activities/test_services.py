"""The rules of activities at the level of their services, and the wrong moves each one
refuses: signing up twice, outside the window, not eligible (group, age, region), a
cancelled or finished activity; the waiting list's order, offers that lapse, a bigger
capacity moving the list up; the check-in window; walk-ins; exhibition counts."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dangqun.activities import drafting, selectors, services
from dangqun.activities.models import Activity, CheckIn, ExhibitionDay, Registration
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.people.models import PersonTag, StaffRole
from tests import factories

# The wording checked below is the English; the default language is Chinese.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Status = Registration.Status


@pytest.fixture
def staff(district):
    return factories.staff(StaffRole.Role.CENTER_STAFF, district.xianlin, district.xianlin_center)


@pytest.fixture
def activity(district):
    return factories.activity(district.xianlin_center, capacity=2, sessions=2)


def person(**fields):
    return factories.PersonFactory(**fields)


def sign_up(activity, n=1):
    return [
        services.registration_create(actor=p, activity=activity)
        for p in (person() for _ in range(n))
    ]


def refresh(*objects):
    for obj in objects:
        obj.refresh_from_db()
    return objects


def statuses(*registrations) -> list[str]:
    return [r.status for r in refresh(*registrations)]


def open_now(activity, minutes_to_start=-10):
    session = activity.sessions.order_by("start").first()
    session.start = timezone.now() + timedelta(minutes=minutes_to_start)
    session.end = session.start + timedelta(hours=1)
    session.save()
    return session


def years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) + timedelta(days=days)


# --- signing up -----------------------------------------------------------------------------


def test_a_second_sign_up_is_refused_but_one_after_cancelling_is_not(activity):
    resident = person()
    first = services.registration_create(actor=resident, activity=activity)
    with pytest.raises(services.AlreadyRegistered):
        services.registration_create(actor=resident, activity=activity)
    services.registration_cancel(actor=resident, registration=first)
    again = services.registration_create(actor=resident, activity=activity)
    assert again.status == Status.CONFIRMED
    assert again.short_code != "" and again.pk != first.pk
    assert Registration.objects.filter(person=resident, status__in=Registration.ACTIVE).count() == 1


@pytest.mark.parametrize(
    "opens, closes, message",
    [
        (timedelta(hours=2), timedelta(days=2), "Sign-up opens on "),
        (-timedelta(days=2), -timedelta(minutes=1), "Sign-up has closed."),
    ],
)
def test_sign_up_only_inside_the_window(activity, opens, closes, message):
    now = timezone.now()
    Activity.objects.filter(pk=activity.pk).update(
        registration_opens=now + opens, registration_closes=now + closes
    )
    activity.refresh_from_db()
    with pytest.raises(services.NotEligible) as refused:
        services.registration_create(actor=person(), activity=activity)
    assert str(refused.value.message).startswith(message)
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "status, message",
    [
        ("draft", "This activity is not open yet."),
        ("cancelled", "This activity is cancelled."),
        ("finished", "This activity is over."),
    ],
)
def test_no_sign_up_unless_published(district, status, message):
    activity = factories.activity(district.xianlin_center, status=status)
    with pytest.raises(services.NotEligible) as refused:
        services.registration_create(actor=person(), activity=activity)
    assert str(refused.value.message) == message


def test_only_the_groups_it_is_for(district):
    activity = factories.activity(
        district.xianlin_center,
        eligible_tags=[PersonTag.Tag.PARTY_MEMBER, PersonTag.Tag.MOBILE_PARTY_MEMBER],
    )
    outsider, member = person(), person()
    factories.tag(member, PersonTag.Tag.MOBILE_PARTY_MEMBER)
    with pytest.raises(services.NotEligible) as refused:
        services.registration_create(actor=outsider, activity=activity)
    assert str(PersonTag.Tag.PARTY_MEMBER.label) in str(refused.value.message)
    assert services.registration_create(actor=member, activity=activity).status == "confirmed"


def test_the_age_range_counts_birthdays(district):
    activity = factories.activity(district.xianlin_center, min_age=60, max_age=80, capacity=5)
    turns_60_tomorrow = person(birth_date=years_ago(60, days=1))
    turned_60_today = person(birth_date=years_ago(60))
    unknown = person(birth_date=None)
    over = person(birth_date=years_ago(81))
    messages = {}
    for who in (turns_60_tomorrow, unknown, over):
        with pytest.raises(services.NotEligible) as refused:
            services.registration_create(actor=who, activity=activity)
        messages[who.pk] = str(refused.value.message)
    assert messages[turns_60_tomorrow.pk] == "This activity is for people aged 60 and over."
    assert messages[unknown.pk].startswith("This activity has an age range")
    assert messages[over.pk] == "This activity is for people aged up to 80."
    assert services.registration_create(actor=turned_60_today, activity=activity).status == (
        Status.CONFIRMED
    )


def test_only_residents_of_the_region_and_the_places_under_it(district):
    activity = factories.activity(
        district.xianlin_center, eligible_region=district.xianlin, capacity=5
    )
    minfeng = person(home_region=district.minfeng)  # a village of Xianlin
    yunhui = person(home_region=district.yunhui)  # a village of Cangqian
    nowhere = person(home_region=None)
    for who in (yunhui, nowhere):
        with pytest.raises(services.NotEligible) as refused:
            services.registration_create(actor=who, activity=activity)
        assert str(refused.value.message) == "This activity is for residents of Xianlin Street."
    assert services.registration_create(actor=minfeng, activity=activity).status == "confirmed"


def test_only_staff_sign_up_someone_else(activity, staff, district):
    neighbour, resident = person(), person()
    with pytest.raises(NotFound):
        services.registration_create(actor=neighbour, activity=activity, person=resident)
    outsider = factories.staff(
        StaffRole.Role.CENTER_STAFF, district.cangqian, district.cangqian_center
    )
    with pytest.raises(NotFound):
        services.registration_create(actor=outsider, activity=activity, person=resident)
    made = services.registration_create(actor=staff, activity=activity, person=resident)
    assert (made.person, made.status) == (resident, Status.CONFIRMED)


# --- the waiting list -----------------------------------------------------------------------


def test_freed_places_go_to_the_waiting_list_in_sign_up_order(activity, staff):
    a, b, w1, w2, w3 = sign_up(activity, 5)
    services.registration_cancel(actor=staff, registration=b)
    assert statuses(w1, w2, w3) == [Status.CONFIRMED, Status.WAITLISTED, Status.WAITLISTED]
    services.registration_cancel(actor=a.person, registration=a)
    assert statuses(w2, w3) == [Status.CONFIRMED, Status.WAITLISTED]
    activity.refresh_from_db()
    assert activity.taken == 2


def test_cancelling_a_waiting_place_moves_nobody(activity):
    _a, _b, w1, w2 = sign_up(activity, 4)
    services.registration_cancel(actor=w1.person, registration=w1)
    assert statuses(w1, w2) == [Status.CANCELLED, Status.WAITLISTED]
    assert selectors.waiting_position(w2) == 1
    activity.refresh_from_db()
    assert activity.taken == 2


def test_a_place_freed_with_nobody_waiting_is_free_again(activity):
    a, _b = sign_up(activity, 2)
    services.registration_cancel(actor=a.person, registration=a)
    activity.refresh_from_db()
    assert activity.taken == 1
    assert sign_up(activity, 1)[0].status == Status.CONFIRMED


def test_a_cancelled_sign_up_cannot_be_cancelled_again(activity):
    a = sign_up(activity, 1)[0]
    services.registration_cancel(actor=a.person, registration=a)
    with pytest.raises(ValidationFailed):
        services.registration_cancel(actor=a.person, registration=a)
    activity.refresh_from_db()
    assert activity.taken == 0


def test_nobody_else_cancels_a_sign_up(activity):
    a = sign_up(activity, 1)[0]
    with pytest.raises(NotFound):
        services.registration_cancel(actor=person(), registration=a)
    assert statuses(a) == [Status.CONFIRMED]


def test_offers_lapse_to_the_next_in_line_and_lapsing_twice_changes_nothing(district):
    activity = factories.activity(district.xianlin_center, capacity=1, promotion_confirm_hours=4)
    holder, first, second = sign_up(activity, 3)
    services.registration_cancel(actor=holder.person, registration=holder)
    assert statuses(first, second) == [Status.OFFERED, Status.WAITLISTED]
    assert first.offered_until - timezone.now() == pytest.approx(
        timedelta(hours=4), abs=timedelta(minutes=1)
    )
    later = timezone.now() + timedelta(hours=5)
    assert services.offer_expire(registration_id=first.pk, now=later)
    assert not services.offer_expire(registration_id=first.pk, now=later)
    assert statuses(first, second) == [Status.EXPIRED, Status.OFFERED]
    activity.refresh_from_db()
    assert activity.taken == 1


def test_a_lapsed_offer_cannot_be_taken_even_before_the_task_runs(district):
    activity = factories.activity(district.xianlin_center, capacity=1, promotion_confirm_hours=1)
    holder, offered = sign_up(activity, 2)
    services.registration_cancel(actor=holder.person, registration=holder)
    Registration.objects.filter(pk=offered.pk).update(
        offered_until=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ValidationFailed):
        services.offer_accept(actor=offered.person, registration=offered)
    assert statuses(offered) == [Status.OFFERED]


def test_only_the_person_takes_their_offer(district):
    activity = factories.activity(district.xianlin_center, capacity=1, promotion_confirm_hours=1)
    holder, offered = sign_up(activity, 2)
    services.registration_cancel(actor=holder.person, registration=holder)
    with pytest.raises(NotFound):
        services.offer_accept(actor=holder.person, registration=offered)
    services.offer_accept(actor=offered.person, registration=offered)
    assert statuses(offered) == [Status.CONFIRMED]


def _data(activity, **changes) -> dict:
    fields = {name: getattr(activity, name) for name in drafting.FIELDS}
    return {**fields, **changes}


def test_a_bigger_capacity_moves_the_waiting_list_up_in_order(activity, staff):
    *_held, w1, w2, w3 = sign_up(activity, 5)
    drafting.activity_update(actor=staff, activity=activity, data=_data(activity, capacity=4))
    assert statuses(w1, w2, w3) == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
    activity.refresh_from_db()
    assert (activity.capacity, activity.taken) == (4, 4)


def test_a_bigger_capacity_offers_places_when_offers_need_confirming(district, staff):
    activity = factories.activity(district.xianlin_center, capacity=1, promotion_confirm_hours=2)
    _held, w1, w2 = sign_up(activity, 3)
    drafting.activity_update(actor=staff, activity=activity, data=_data(activity, capacity=2))
    assert statuses(w1, w2) == [Status.OFFERED, Status.WAITLISTED]


def test_the_capacity_cannot_drop_below_the_places_taken(activity, staff):
    sign_up(activity, 2)
    with pytest.raises(ValidationFailed) as refused:
        drafting.activity_update(actor=staff, activity=activity, data=_data(activity, capacity=1))
    assert refused.value.field == "capacity"
    activity.refresh_from_db()
    assert activity.capacity == 2


# --- the activity's life --------------------------------------------------------------------


def test_publishing_needs_a_draft_with_sessions(district, staff):
    draft = factories.activity(district.xianlin_center, status="draft", sessions=0)
    with pytest.raises(ValidationFailed) as refused:
        services.activity_publish(actor=staff, activity=draft)
    assert refused.value.field == "sessions"
    published = factories.activity(district.xianlin_center)
    with pytest.raises(ValidationFailed):
        services.activity_publish(actor=staff, activity=published)


def test_sessions_are_fixed_once_published(activity, staff):
    start = timezone.now() + timedelta(days=9)
    with pytest.raises(ValidationFailed):
        services.activity_set_sessions(
            actor=staff, activity=activity, sessions=[(start, start + timedelta(hours=1))]
        )
    assert activity.sessions.count() == 2


def test_a_session_ends_after_it_starts(district, staff):
    draft = factories.activity(district.xianlin_center, status="draft")
    start = timezone.now() + timedelta(days=9)
    with pytest.raises(ValidationFailed):
        services.activity_set_sessions(actor=staff, activity=draft, sessions=[(start, start)])
    with pytest.raises(ValidationFailed):
        services.activity_set_sessions(actor=staff, activity=draft, sessions=[])
    assert draft.sessions.count() == 1


def test_a_cancelled_activity_takes_no_one_and_cannot_be_cancelled_again(
    activity, staff, sms_outbox, django_capture_on_commit_callbacks
):
    held, _other, waiting = sign_up(activity, 3)
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_cancel(actor=staff, activity=activity, reason="场地维修")
    assert len(sms_outbox) >= 3
    assert statuses(held, waiting) == [Status.CANCELLED, Status.CANCELLED]
    with pytest.raises(ValidationFailed):
        services.activity_cancel(actor=staff, activity=activity, reason="again")
    with pytest.raises(services.NotEligible):
        services.registration_create(actor=person(), activity=activity)
    with pytest.raises(ValidationFailed):
        drafting.activity_update(actor=staff, activity=activity, data=_data(activity))


def test_a_finished_activity_takes_no_one_and_only_a_published_one_finishes(district, staff):
    activity = factories.activity(district.xianlin_center)
    services.activity_finish(actor=staff, activity=activity)
    assert activity.status == Activity.Status.FINISHED
    with pytest.raises(services.NotEligible):
        services.registration_create(actor=person(), activity=activity)
    with pytest.raises(ValidationFailed):
        services.activity_finish(actor=staff, activity=activity)
    draft = factories.activity(district.xianlin_center, status="draft")
    with pytest.raises(ValidationFailed):
        services.activity_finish(actor=staff, activity=draft)
    draft.refresh_from_db()
    assert draft.status == Activity.Status.DRAFT


def test_staff_of_another_street_cannot_change_the_activity(activity, district):
    outsider = factories.staff(StaffRole.Role.STREET_ADMIN, district.cangqian)
    for attempt in (
        lambda: services.activity_cancel(actor=outsider, activity=activity, reason="x"),
        lambda: services.activity_finish(actor=outsider, activity=activity),
        lambda: services.activity_copy(actor=outsider, activity=activity, days_later=7),
        lambda: drafting.activity_update(actor=outsider, activity=activity, data=_data(activity)),
    ):
        with pytest.raises(NotFound):
            attempt()
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PUBLISHED
    assert Activity.objects.count() == 1


def test_an_online_activity_needs_an_https_link(district, staff, activity):
    for link in ("http://meeting.example.com/1", "meeting.example.com", "https://"):
        with pytest.raises(ValidationFailed) as refused:
            drafting.activity_create(
                actor=staff,
                center=district.xianlin_center,
                data=_data(activity, venue="online", online_url=link),
            )
        assert refused.value.field == "online_url"
    made = drafting.activity_create(
        actor=staff,
        center=district.xianlin_center,
        data=_data(activity, venue="online", online_url="https://meeting.example.com/1"),
    )
    assert (made.venue, made.online_url) == ("online", "https://meeting.example.com/1")


# --- checking in ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "minutes_to_start, is_open", [(31, False), (29, True), (-10, True), (-61, False)]
)
def test_check_in_is_open_from_half_an_hour_before_until_the_end(
    activity, staff, minutes_to_start, is_open
):
    session = open_now(activity, minutes_to_start)  # one hour long
    registration = sign_up(activity, 1)[0]
    if is_open:
        services.check_in(
            actor=staff, session=session, registration=registration, method="short_code"
        )
    else:
        with pytest.raises(ValidationFailed) as refused:
            services.check_in(
                actor=staff, session=session, registration=registration, method="short_code"
            )
        assert refused.value.field == "session"
    assert CheckIn.objects.count() == int(is_open)


def test_only_a_confirmed_place_checks_in(district, staff):
    activity = factories.activity(district.xianlin_center, capacity=1, promotion_confirm_hours=1)
    session = open_now(activity)
    holder, offered, waiting = sign_up(activity, 3)
    services.registration_cancel(actor=holder.person, registration=holder)
    refresh(offered)
    for registration in (holder, offered, waiting):
        with pytest.raises(ValidationFailed):
            services.check_in(
                actor=staff, session=session, registration=registration, method="short_code"
            )
    assert not CheckIn.objects.exists()


def test_person_times_and_distinct_people(district, staff):
    activity = factories.activity(district.xianlin_center, capacity=5, sessions=2)
    first, second = activity.sessions.order_by("start")
    party_member, rider = person(), person()
    factories.tag(party_member, PersonTag.Tag.PARTY_MEMBER)
    a = services.registration_create(actor=party_member, activity=activity)
    b = services.registration_create(actor=rider, activity=activity)
    for session, registration in ((first, a), (second, a), (first, b), (first, b)):
        services.check_in(
            actor=staff,
            session=session,
            registration=registration,
            method="scan",
            check_window=False,
        )
    figures = selectors.attendance(activities=Activity.objects.filter(pk=activity.pk))
    assert (figures["person_times"], figures["people"], figures["sessions"]) == (3, 2, 2)
    assert figures["by_tag"]["party_member"]["person_times"] == 2
    assert figures["by_tag"]["party_member"]["people"] == 1


# --- walk-ins -------------------------------------------------------------------------------


def test_a_walk_in_skips_the_window_but_not_the_capacity(district, staff):
    activity = factories.activity(district.xianlin_center, capacity=2, walk_ins=True)
    Activity.objects.filter(pk=activity.pk).update(
        registration_closes=timezone.now() - timedelta(minutes=1),
        registration_opens=timezone.now() - timedelta(days=1),
    )
    activity.refresh_from_db()
    session = open_now(activity)
    entry = services.walk_in(actor=staff, session=session, person=person())
    assert (entry.method, entry.registration.is_walk_in) == ("walk_in", True)
    services.walk_in(actor=staff, session=session, person=person())
    with pytest.raises(services.NotEligible) as refused:
        services.walk_in(actor=staff, session=session, person=person())
    assert str(refused.value.message) == "The activity is full."
    assert Registration.objects.count() == 2
    activity.refresh_from_db()
    assert activity.taken == 2


def test_no_walk_ins_unless_the_activity_takes_them(activity, staff):
    session = open_now(activity)
    with pytest.raises(services.NotEligible):
        services.walk_in(actor=staff, session=session, person=person())
    assert not Registration.objects.exists()


def test_a_walk_in_outside_the_check_in_window_leaves_no_registration(district, staff):
    activity = factories.activity(district.xianlin_center, walk_ins=True)
    session = activity.sessions.get()  # days ahead
    with pytest.raises(ValidationFailed):
        services.walk_in(actor=staff, session=session, person=person())
    assert not Registration.objects.exists()
    activity.refresh_from_db()
    assert activity.taken == 0


def test_only_staff_register_walk_ins(district):
    activity = factories.activity(district.xianlin_center, walk_ins=True)
    session = open_now(activity)
    resident = person()
    with pytest.raises(NotFound):
        services.walk_in(actor=resident, session=session, person=person())
    assert not Registration.objects.exists()


# --- exhibitions ----------------------------------------------------------------------------


@pytest.fixture
def exhibition(district):
    return factories.activity(district.xianlin_center, kind="exhibition", capacity=50)


def test_exhibition_days_are_counted_once_a_day(exhibition, staff):
    today = timezone.localdate()
    services.exhibition_day_set(actor=staff, activity=exhibition, date=today, visitors=120)
    services.exhibition_day_set(actor=staff, activity=exhibition, date=today, visitors="130")
    services.exhibition_day_set(
        actor=staff, activity=exhibition, date=today - timedelta(days=1), visitors=0
    )
    assert ExhibitionDay.objects.get(date=today).visitors == 130
    figures = selectors.attendance(activities=Activity.objects.filter(pk=exhibition.pk))
    assert figures["exhibition_visitors_counted"] == 130
    since_today = selectors.attendance(
        activities=Activity.objects.filter(pk=exhibition.pk), since=today, until=today
    )
    assert since_today["exhibition_visitors_counted"] == 130


@pytest.mark.parametrize(
    "day, visitors, field",
    [(1, 10, "date"), (0, -1, "visitors"), (0, "lots", "visitors"), (0, None, "visitors")],
)
def test_exhibition_counts_are_checked(exhibition, staff, day, visitors, field):
    when = timezone.localdate() + timedelta(days=day)
    with pytest.raises(ValidationFailed) as refused:
        services.exhibition_day_set(actor=staff, activity=exhibition, date=when, visitors=visitors)
    assert refused.value.field == field
    assert not ExhibitionDay.objects.exists()


def test_only_exhibitions_and_only_their_staff_count_visitors(
    activity, exhibition, district, staff
):
    with pytest.raises(ValidationFailed):
        services.exhibition_day_set(
            actor=staff, activity=activity, date=timezone.localdate(), visitors=3
        )
    outsider = factories.staff(
        StaffRole.Role.CENTER_STAFF, district.cangqian, district.cangqian_center
    )
    with pytest.raises(NotFound):
        services.exhibition_day_set(
            actor=outsider, activity=exhibition, date=timezone.localdate(), visitors=3
        )
    assert not ExhibitionDay.objects.exists()


# --- the waiting list's own count -----------------------------------------------------------


def _in_step(activity) -> tuple[int, int]:
    """The activity's count of its waiting list, and the registrations actually waiting."""
    activity.refresh_from_db()
    waiting = Registration.objects.filter(activity=activity, status=Status.WAITLISTED).count()
    return activity.waiting, waiting


def test_the_waiting_count_follows_every_way_in_and_out_of_the_queue(district, staff):
    activity = factories.activity(
        district.xianlin_center, capacity=1, promotion_confirm_hours=2, walk_ins=True
    )
    holder, w1, w2, w3, w4 = sign_up(activity, 5)
    assert _in_step(activity) == (4, 4)
    services.registration_cancel(actor=w4.person, registration=w4)  # leaves the queue
    assert _in_step(activity) == (3, 3)
    services.registration_cancel(actor=holder.person, registration=holder)  # w1 is offered
    assert statuses(w1) == [Status.OFFERED]
    assert _in_step(activity) == (2, 2)
    later = timezone.now() + timedelta(hours=3)
    assert services.offer_expire(registration_id=w1.pk, now=later)  # w2 is offered
    assert statuses(w1, w2) == [Status.EXPIRED, Status.OFFERED]
    assert _in_step(activity) == (1, 1)
    drafting.activity_update(actor=staff, activity=activity, data=_data(activity, capacity=2))
    assert statuses(w3) == [Status.OFFERED]  # a bigger capacity moved the queue up
    assert _in_step(activity) == (0, 0)
    w5 = sign_up(activity)[0]
    assert (w5.status, w5.position_when_joined) == (Status.WAITLISTED, 1)
    assert _in_step(activity) == (1, 1)
    services.registration_cancel(actor=w2.person, registration=w2)  # a place for w5
    assert statuses(w5) == [Status.OFFERED]
    assert _in_step(activity) == (0, 0)
    copy = services.activity_copy(actor=staff, activity=activity, days_later=7)
    assert (copy.taken, copy.waiting) == (0, 0)


def test_a_person_waiting_who_comes_to_the_door_stays_in_the_queue(district, staff):
    activity = factories.activity(district.xianlin_center, capacity=1, walk_ins=True)
    holder, waiting = sign_up(activity, 2)
    session = open_now(activity)
    services.registration_cancel(actor=holder.person, registration=holder)
    assert statuses(waiting) == [Status.CONFIRMED]  # promoted at once: nobody at the door
    late = sign_up(activity)[0]
    Activity.objects.filter(pk=activity.pk).update(capacity=2)  # one more chair is found
    with pytest.raises(ValidationFailed):
        services.walk_in(actor=staff, session=session, person=late.person)
    assert statuses(late) == [Status.WAITLISTED]
    assert _in_step(activity) == (1, 1)


def test_cancelling_the_activity_empties_its_queue(activity, staff):
    sign_up(activity, 4)
    assert _in_step(activity) == (2, 2)
    services.activity_cancel(actor=staff, activity=activity, reason="暴雨")
    assert _in_step(activity) == (0, 0)


def test_a_sign_up_read_before_the_activity_was_cancelled_writes_nothing(activity, staff):
    """The activity was read as published, then cancelled before the sign-up wrote: the
    database's statement checks the status under the row's lock and writes nothing."""
    read_before = Activity.objects.get(pk=activity.pk)
    services.activity_cancel(actor=staff, activity=activity, reason="场地维修")
    with pytest.raises(services.NotEligible) as refused:
        services.registration_create(actor=person(), activity=read_before)
    assert str(refused.value.message) == "This activity is cancelled."
    assert Registration.objects.filter(activity=activity).count() == 0
    assert _in_step(activity) == (0, 0)


def test_the_migration_counts_each_activity_s_waiting_list(district):
    """Activities from before the count was kept get it from their registrations."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("dangqun.activities.migrations.0002_waiting_list_counter")
    busy = factories.activity(district.xianlin_center, capacity=1)
    quiet = factories.activity(district.xianlin_center, capacity=5)
    sign_up(busy, 4)
    sign_up(quiet, 2)
    Activity.objects.update(waiting=0)

    migration.count_the_waiting(apps, None)

    assert _in_step(busy) == (3, 3)
    assert _in_step(quiet) == (0, 0)
