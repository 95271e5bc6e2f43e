"""The staff API of activities over HTTP (/api/v1/staff/...): draft, edit, publish, copy,
cancel and finish; registrants with masked mobiles; walk-ins, check-in and check-out at the
desk; attendance figures; exhibition visitors. Scoped: the Xianlin street admin does not
see Cangqian's activities (404), errors as {"code", "message", "field"}."""

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

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
from dangqun.people.models import Person, StaffRole
from tests import clients, factories
from tests.clients import error

pytestmark = pytest.mark.django_db

API = "/api/v1/staff"
Role = StaffRole.Role
Status = Registration.Status


def Api(person=None, *, token: bool = False):  # noqa: N802 (the shared client, here)
    """The shared JSON client, of /api/v1/staff."""
    return clients.Api(person, base="/staff", token=token)


def ok(response, status: int = 200):
    assert response.status_code == status, response.content
    return response.json()


def shanghai(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def ahead(days: int = 5) -> date:
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def xianlin_admin(district):
    return factories.staff(Role.STREET_ADMIN, district.xianlin, name="闲林管理员")


@pytest.fixture
def desk(district):
    """Center staff of the Xianlin center, at the check-in desk."""
    return factories.staff(
        Role.CENTER_STAFF, district.xianlin, district.xianlin_center, name="前台"
    )


@pytest.fixture
def boss(district):
    return factories.staff(Role.DISTRICT_ADMIN, district.district, name="区管理员")


@pytest.fixture
def xianlin(xianlin_admin):
    return Api(xianlin_admin)


@pytest.fixture
def activity(district):
    """Xianlin's class, on now: check-in is open for its session."""
    made = factories.activity(district.xianlin_center, capacity=3, title="婴儿抚触操培训")
    running(made)
    return made


@pytest.fixture
def cangqian_activity(district):
    made = factories.activity(district.cangqian_center, title="骑手恳谈会")
    running(made)
    return made


def running(activity) -> ActivitySession:
    session = activity.sessions.order_by("start").first()
    session.start = timezone.now() - timedelta(minutes=10)
    session.end = timezone.now() + timedelta(hours=1)
    session.save()
    return session


def sign_up(activity, person=None, **fields) -> Registration:
    person = person or factories.PersonFactory(**fields)
    return services.registration_create(actor=person, activity=activity)


def payload(**changes) -> dict:
    """A complete activity at an outside address, with two sessions."""
    now = timezone.now()
    data = {
        "center": "xianlin",
        "title": "老年智能手机课",
        "kind": "class",
        "venue": "address",
        "address": "民丰村文化礼堂",
        "latitude": "30.262400",
        "longitude": "119.972300",
        "capacity": 20,
        "registration_opens": now.isoformat(),
        "registration_closes": (now + timedelta(days=4)).isoformat(),
        "eligible_tags": ["elder"],
        "min_age": 60,
        "walk_ins": True,
        "description": "手把手教",
        "sessions": [
            {
                "start": shanghai(ahead(), 9).isoformat(),
                "end": shanghai(ahead(), 11).isoformat(),
            },
            {
                "start": shanghai(ahead(12), 9).isoformat(),
                "end": shanghai(ahead(12), 11).isoformat(),
            },
        ],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not ...}


# --- the list -----------------------------------------------------------------------------


def test_the_list_is_scoped(district, xianlin, boss, activity, cangqian_activity):
    factories.activity(district.xianlin_center, title="草稿", status="draft")
    body = ok(xianlin.get("/activities"))
    assert sorted(a["title"] for a in body) == ["婴儿抚触操培训", "草稿"]
    assert sorted(a["title"] for a in ok(Api(boss).get("/activities"))) == [
        "婴儿抚触操培训",
        "草稿",
        "骑手恳谈会",
    ]
    draft = next(a for a in body if a["title"] == "草稿")
    assert draft["status"] == "draft" and draft["center"] == "xianlin"
    assert draft["sessions"][0]["start"].endswith("T09:00:00+08:00")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "draft"}, ["草稿"]),
        ({"center": "cangqian"}, ["骑手恳谈会"]),
        ({"kind": "training"}, ["骑手恳谈会"]),
        ({"limit": 1, "offset": 2}, ["婴儿抚触操培训"]),  # the newest first
    ],
)
def test_the_list_s_filters(district, boss, activity, cangqian_activity, query, expected):
    Activity.objects.filter(pk=cangqian_activity.pk).update(kind="training")
    factories.activity(district.xianlin_center, title="草稿", status="draft")
    assert [a["title"] for a in ok(Api(boss).get("/activities", query))] == expected


def test_the_list_reads_a_fixed_number_of_queries(
    district, xianlin, django_assert_num_queries, django_assert_max_num_queries
):
    factories.activity(district.xianlin_center, sessions=2)
    with django_assert_max_num_queries(50) as one:
        assert len(ok(xianlin.get("/activities"))) == 1
    for _ in range(4):
        factories.activity(district.xianlin_center, sessions=3)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(ok(xianlin.get("/activities"))) == 5


def test_the_list_refuses_others(district, xianlin, activity):
    assert error(xianlin.get("/activities", {"center": "cangqian"}), 404)["code"] == "not_found"
    assert error(xianlin.get("/activities", {"status": "lost"}), 422)["field"] == "status"
    assert error(Api().get("/activities"), 401)["code"] == "unauthenticated"
    assert error(Api(factories.PersonFactory()).get("/activities"), 404)
    partner = factories.staff(Role.PARTNER_STAFF, district.xianlin)
    assert error(Api(partner).get("/activities"), 404)


# --- drafting -----------------------------------------------------------------------------


def test_create_a_draft_with_its_sessions(xianlin, xianlin_admin):
    body = ok(xianlin.post("/activities", payload()), 201)
    made = Activity.objects.get()
    assert body["public_id"] == str(made.public_id)
    assert (made.status, made.center.slug, made.created_by) == ("draft", "xianlin", xianlin_admin)
    assert (made.title, made.venue, made.address) == ("老年智能手机课", "address", "民丰村文化礼堂")
    assert (made.eligible_tags, made.min_age, made.walk_ins) == (["elder"], 60, True)
    assert str(made.latitude) == "30.262400"
    assert body["latitude"] == 30.2624 and body["taken"] == 0
    assert [s["start"] for s in body["sessions"]] == [
        f"{ahead().isoformat()}T09:00:00+08:00",
        f"{ahead(12).isoformat()}T09:00:00+08:00",
    ]
    assert made.sessions.count() == 2
    assert AuditEntry.objects.filter(action="activity.create", object_id=str(made.pk)).exists()


def test_a_time_without_an_offset_is_shanghai_time(xianlin):
    day = ahead().isoformat()
    ok(
        xianlin.post(
            "/activities", payload(sessions=[{"start": f"{day}T14:00", "end": f"{day}T16:00"}])
        ),
        201,
    )
    session = ActivitySession.objects.get()
    assert session.start == shanghai(ahead(), 14)


def test_create_with_a_space_of_the_center(district, xianlin):
    space = factories.SpaceFactory(center=district.xianlin_center, name="创客空间")
    body = ok(xianlin.post("/activities", payload(venue="space", space=space.pk)), 201)
    assert (body["space_id"], body["space"], body["address"]) == (space.pk, "创客空间", "")
    other = factories.SpaceFactory(center=district.cangqian_center)
    for space_id in (other.pk, 987654, None):
        body = error(xianlin.post("/activities", payload(venue="space", space=space_id)), 400)
        assert body["field"] == "space"
        assert body["message"] == "Choose a space of the organising center."
    assert Activity.objects.count() == 1


BAD = [
    # (what, changes, status, the field the answer names, part of its message)
    ("no title", {"title": ...}, 422, "title", "required"),
    ("blank title", {"title": "  "}, 422, "title", "required"),
    ("long title", {"title": "课" * 121}, 422, "title", "At most 120 characters"),
    ("unknown kind", {"kind": "party"}, 422, "kind", "Choose one of:"),
    ("no capacity", {"capacity": ...}, 422, "capacity", "required"),
    ("capacity as words", {"capacity": "many"}, 422, "capacity", "whole number"),
    ("nobody fits", {"capacity": 0}, 422, "capacity", "at least 1."),
    ("closes before it opens", {"registration_closes": "2020-01-01T00:00"}, 400,
     "registration_closes", "close after it opens"),
    ("not a time", {"registration_opens": "soon"}, 422, "registration_opens",
     "Enter a date and time like"),
    ("unknown group", {"eligible_tags": ["aliens"]}, 400, "eligible_tags", "from the list"),
    ("ages the wrong way", {"min_age": 70, "max_age": 60}, 400, "max_age", "above the maximum"),
    ("too old", {"max_age": 130}, 422, "max_age", "at most 120."),
    ("unknown region", {"eligible_region": 987654}, 400, "eligible_region", "from the list"),
    ("no address", {"address": ""}, 400, "address", "required"),
    ("latitude off the earth", {"latitude": "200"}, 422, "latitude", "latitude in China"),
    ("online without a link", {"venue": "online"}, 400, "online_url", "required"),
    ("a plain http link", {"venue": "online", "online_url": "http://x.cn"}, 400, "online_url",
     "https://"),
    ("an hour to answer", {"promotion_confirm_hours": 0}, 422, "promotion_confirm_hours",
     "at least 1."),
    ("a session ending first", {"sessions": [{"start": "2030-01-07T10:00",
     "end": "2030-01-07T09:00"}]}, 400, "sessions", "end after it starts"),
    ("no sessions", {"sessions": []}, 400, "sessions", "at least one session"),
    ("a session without an end", {"sessions": [{"start": "2030-01-07T10:00"}]}, 422,
     "sessions.0.end", "required"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "status", "field", "message"),
    [case[1:] for case in BAD],
    ids=[case[0] for case in BAD],
)
def test_a_wrong_activity_is_refused_naming_the_field(xianlin, changes, status, field, message):
    body = error(xianlin.post("/activities", payload(**changes)), status)
    assert body["field"] == field
    assert message in body["message"]
    assert Activity.objects.count() == 0
    assert ActivitySession.objects.count() == 0


def test_no_drafting_for_another_street_s_center(xianlin, boss):
    for slug in ("cangqian", "nowhere"):
        assert error(xianlin.post("/activities", payload(center=slug)), 404)["code"] == (
            "not_found"
        )
    assert Activity.objects.count() == 0
    assert ok(Api(boss).post("/activities", payload(center="cangqian")), 201)["center"] == (
        "cangqian"
    )


def test_the_detail_and_its_scope(xianlin, activity, cangqian_activity):
    body = ok(xianlin.get(f"/activities/{activity.public_id}"))
    assert body["title"] == "婴儿抚触操培训"
    assert body["capacity"] == 3
    for public_id in (cangqian_activity.public_id, uuid.uuid4(), "nonsense"):
        assert error(xianlin.get(f"/activities/{public_id}"), 404)["code"] == "not_found"


def test_update_a_published_activity(xianlin, activity):
    changes = payload(title="婴儿抚触操（二期）", capacity=5, eligible_tags=[], min_age=None)
    del changes["sessions"]
    body = ok(xianlin.put(f"/activities/{activity.public_id}", changes))
    activity.refresh_from_db()
    assert (activity.title, activity.capacity, activity.status) == (
        "婴儿抚触操（二期）",
        5,
        "published",
    )
    assert body["title"] == "婴儿抚触操（二期）"
    assert len(body["sessions"]) == 1  # kept


def test_more_places_move_the_waiting_list_up(district, xianlin):
    small = factories.activity(district.xianlin_center, capacity=1)
    sign_up(small)
    waiting = sign_up(small)
    changes = payload(capacity=2, eligible_tags=[], min_age=None, sessions=...)
    ok(xianlin.put(f"/activities/{small.public_id}", changes))
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_wrong_updates_are_refused(xianlin, activity, cangqian_activity):
    sign_up(activity)
    sign_up(activity)
    base = payload(eligible_tags=[], min_age=None, sessions=...)
    body = error(xianlin.put(f"/activities/{activity.public_id}", {**base, "capacity": 1}), 400)
    assert (body["field"], body["message"]) == (
        "capacity",
        "2 people have a place already: the capacity cannot be lower.",
    )
    body = error(xianlin.put(f"/activities/{activity.public_id}", payload()), 400)
    assert body["field"] == "sessions"  # a published activity keeps its sessions
    body = error(xianlin.put(f"/activities/{activity.public_id}", {**base, "title": ""}), 422)
    assert body["field"] == "title"
    activity.refresh_from_db()
    assert (activity.title, activity.capacity) == ("婴儿抚触操培训", 3)
    error(xianlin.put(f"/activities/{cangqian_activity.public_id}", base), 404)
    Activity.objects.filter(pk=activity.pk).update(status="cancelled")
    body = error(xianlin.put(f"/activities/{activity.public_id}", base), 400)
    assert body["field"] == "status"


def test_set_the_sessions_of_a_draft(district, xianlin, activity):
    draft = factories.activity(district.xianlin_center, status="draft", sessions=2)
    sessions = {"sessions": [{"start": f"{ahead(7)}T19:00", "end": f"{ahead(7)}T20:30"}]}
    body = ok(xianlin.put(f"/activities/{draft.public_id}/sessions", sessions))
    assert [s["start"] for s in body["sessions"]] == [f"{ahead(7)}T19:00:00+08:00"]
    assert draft.sessions.count() == 1
    body = error(xianlin.put(f"/activities/{activity.public_id}/sessions", sessions), 400)
    assert body["field"] == "sessions"
    assert activity.sessions.count() == 1
    body = error(xianlin.put(f"/activities/{draft.public_id}/sessions", {"sessions": []}), 400)
    assert body["field"] == "sessions"


# --- publish, copy, cancel, finish --------------------------------------------------------


def test_publish_a_draft(xianlin):
    public_id = ok(xianlin.post("/activities", payload()), 201)["public_id"]
    body = ok(xianlin.post(f"/activities/{public_id}/publish"))
    assert body["status"] == "published"
    # Now residents find it.
    assert Client().get(f"/api/v1/activities/{public_id}").status_code == 200
    body = error(xianlin.post(f"/activities/{public_id}/publish"), 400)
    assert (body["field"], body["message"]) == ("status", "Only a draft can be published.")


def test_publishing_books_the_space(district, xianlin):
    district.xianlin_center.opening_hours = ["08:00-20:00"] * 7
    district.xianlin_center.save()
    space = factories.SpaceFactory(center=district.xianlin_center, is_bookable=True, capacity=30)
    changes = {"venue": "space", "space": space.pk, "eligible_tags": [], "min_age": None}
    public_id = ok(xianlin.post("/activities", payload(**changes)), 201)["public_id"]
    ok(xianlin.post(f"/activities/{public_id}/publish"))
    bookings = Booking.objects.order_by("start")
    assert [(b.space, b.start, b.purpose) for b in bookings] == [
        (space, shanghai(ahead(), 9), "老年智能手机课"),
        (space, shanghai(ahead(12), 9), "老年智能手机课"),
    ]
    assert all(s.booking_id for s in ActivitySession.objects.all())


def test_publishing_needs_sessions(district, xianlin):
    bare = factories.activity(district.xianlin_center, status="draft", sessions=0)
    body = error(xianlin.post(f"/activities/{bare.public_id}/publish"), 400)
    assert (body["field"], body["message"]) == ("sessions", "Give at least one session.")
    bare.refresh_from_db()
    assert bare.status == "draft"


def test_copy_moves_every_date(xianlin, activity):
    body = ok(xianlin.post(f"/activities/{activity.public_id}/copy", {"days_later": 7}), 201)
    copy = Activity.objects.get(public_id=body["public_id"])
    assert (copy.status, copy.taken, copy.title) == ("draft", 0, "婴儿抚触操培训")
    assert copy.registration_opens == activity.registration_opens + timedelta(days=7)
    [original], [moved] = activity.sessions.all(), copy.sessions.all()
    assert moved.start == original.start + timedelta(days=7)


@pytest.mark.parametrize("days", [-1, 3651])
def test_copy_refuses_odd_days(xianlin, activity, days):
    body = error(xianlin.post(f"/activities/{activity.public_id}/copy", {"days_later": days}), 400)
    assert body["field"] == "days_later"
    assert Activity.objects.count() == 1


def test_cancel_tells_everyone(xianlin, activity, sms_outbox, django_capture_on_commit_callbacks):
    first = sign_up(activity, mobile="13900001111")
    body = error(xianlin.post(f"/activities/{activity.public_id}/cancel", {"reason": " "}), 400)
    assert (body["field"], body["message"]) == ("reason", "Say why the activity is cancelled.")
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = xianlin.post(f"/activities/{activity.public_id}/cancel", {"reason": "台风"})
    assert ok(response)["status"] == "cancelled"
    first.refresh_from_db()
    assert first.status == Status.CANCELLED
    assert [to for to, text in sms_outbox if "台风" in text] == ["13900001111"]
    body = error(xianlin.post(f"/activities/{activity.public_id}/cancel", {"reason": "x"}), 400)
    assert body["field"] == "status"


def test_finish_only_a_published_activity(district, xianlin, activity):
    assert ok(xianlin.post(f"/activities/{activity.public_id}/finish"))["status"] == "finished"
    draft = factories.activity(district.xianlin_center, status="draft")
    body = error(xianlin.post(f"/activities/{draft.public_id}/finish"), 400)
    assert body["field"] == "status"
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_another_street_s_activity_cannot_be_moved(xianlin, cangqian_activity):
    public_id = cangqian_activity.public_id
    for path, body in [
        ("publish", {}),
        ("copy", {"days_later": 7}),
        ("cancel", {"reason": "不想办了"}),
        ("finish", {}),
    ]:
        assert error(xianlin.post(f"/activities/{public_id}/{path}", body), 404)["code"] == (
            "not_found"
        )
    cangqian_activity.refresh_from_db()
    assert cangqian_activity.status == "published"
    assert Activity.objects.count() == 1  # no copy


# --- registrants --------------------------------------------------------------------------


def test_registrants_with_masked_mobiles_only(xianlin, activity):
    first = sign_up(activity, name="张闲林", mobile="13900001111")
    for n in range(3):
        sign_up(activity, mobile=f"1370000000{n}")
    response = xianlin.get(f"/activities/{activity.public_id}/registrations")
    body = ok(response)
    assert [r["status"] for r in body] == ["confirmed"] * 3 + ["waitlisted"]
    assert body[0]["public_id"] == str(first.public_id)
    assert body[0]["person"] == {
        "public_id": str(first.person.public_id),
        "name": "张闲林",
        "mobile_masked": "139****1111",
    }
    assert body[0]["short_code"] == first.short_code
    assert body[3]["waiting_position"] == 1
    content = response.content.decode()
    assert "13900001111" not in content
    assert not any(f"1370000000{n}" in content for n in range(3))
    assert "mobile" not in body[0]["person"]
    waiting = ok(xianlin.get(f"/activities/{activity.public_id}/registrations?status=waitlisted"))
    assert [r["person"]["mobile_masked"] for r in waiting] == ["137****0002"]


def test_registrants_read_a_fixed_number_of_queries(
    xianlin, activity, django_assert_num_queries, django_assert_max_num_queries
):
    sign_up(activity)
    path = f"/activities/{activity.public_id}/registrations"
    with django_assert_max_num_queries(50) as few:
        assert len(ok(xianlin.get(path))) == 1
    for _ in range(6):  # two more places, then the waiting list
        sign_up(activity)
    with django_assert_num_queries(len(few.captured_queries)):
        body = ok(xianlin.get(path))
    assert [r["waiting_position"] for r in body] == [None] * 3 + [1, 2, 3, 4]


def test_registrants_of_another_street_are_404(xianlin, cangqian_activity):
    sign_up(cangqian_activity)
    assert error(xianlin.get(f"/activities/{cangqian_activity.public_id}/registrations"), 404)


def test_staff_cancel_a_registration(xianlin, activity, cangqian_activity):
    holders = [sign_up(activity) for _ in range(3)]
    waiting = sign_up(activity)
    body = ok(xianlin.post(f"/registrations/{holders[0].public_id}/cancel"))
    assert body["status"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert error(xianlin.post(f"/registrations/{holders[0].public_id}/cancel"), 400)["field"] == (
        "status"
    )
    theirs = sign_up(cangqian_activity)
    for public_id in (theirs.public_id, uuid.uuid4(), "nonsense"):
        assert error(xianlin.post(f"/registrations/{public_id}/cancel"), 404)["code"] == (
            "not_found"
        )
    theirs.refresh_from_db()
    assert theirs.status == Status.CONFIRMED


# --- the desk: check-in and check-out -----------------------------------------------------


def check_ins(activity) -> str:
    return f"/activities/{activity.public_id}/sessions/{activity.sessions.get().pk}/check-ins"


def test_check_in_by_short_code_once(desk, activity):
    registration = sign_up(activity, mobile="13900001111")
    api = Api(desk, token=True)
    first = api.post(check_ins(activity), {"code": registration.short_code})
    body = ok(first, 201)
    assert body["created"] is True
    assert body["method"] == "short_code"
    assert body["by_staff"] is True
    assert body["registration"]["public_id"] == str(registration.public_id)
    assert body["registration"]["person"]["mobile_masked"] == "139****1111"
    assert body["registration"]["checked_in_sessions"] == [activity.sessions.get().pk]
    # Typed again, in lower case with a space: nothing new.
    typed = registration.short_code.lower()
    again = ok(api.post(check_ins(activity), {"code": f"{typed[:3]} {typed[3:]}"}))
    assert again["created"] is False
    entry = CheckIn.objects.get()
    assert (entry.registration, entry.method, entry.by) == (registration, "short_code", desk)


def test_check_in_by_the_personal_qr_code(desk, activity):
    registration = sign_up(activity)
    token = codes.personal_token(registration)
    body = ok(Api(desk).post(check_ins(activity), {"token": token}), 201)
    assert (body["created"], body["method"]) == (True, "scan")
    # The QR code holds the address of the staff's page; the whole address will do too.
    address = f"http://testserver/staff/activities/check-in/{token}/"
    assert ok(Api(desk).post(check_ins(activity), {"token": address}))["created"] is False
    assert CheckIn.objects.count() == 1


def test_check_in_refuses_wrong_codes_and_saves_nothing(district, desk, activity):
    api = Api(desk)
    other = factories.activity(district.xianlin_center, title="别的活动")
    theirs = sign_up(other)
    forged = codes.personal_token(theirs)[:-3] + "abc"
    waiting_activity = factories.activity(district.xianlin_center, capacity=1)
    running(waiting_activity)
    sign_up(waiting_activity)
    waiting = sign_up(waiting_activity)
    cases = [
        (activity, {"code": "ZZZZZZ"}, "code", "No sign-up of this activity has this code."),
        (activity, {"code": theirs.short_code}, "code", "No sign-up of this activity has"),
        (activity, {}, "code", "Type the short code or scan the QR code."),
        (activity, {"token": forged}, "token", "This QR code is not valid."),
        (activity, {"token": codes.personal_token(theirs)}, "token",
         "This code belongs to another activity."),
        (waiting_activity, {"code": waiting.short_code}, "code", "no confirmed place"),
    ]  # fmt: skip
    for target, body, field, message in cases:
        answer = error(api.post(check_ins(target), body), 400)
        assert answer["field"] == field, body
        assert message in answer["message"], body
    assert CheckIn.objects.count() == 0


def test_check_in_outside_the_session_s_hours(district, desk):
    later = factories.activity(district.xianlin_center)  # three days ahead
    registration = sign_up(later)
    body = error(Api(desk).post(check_ins(later), {"code": registration.short_code}), 400)
    assert body["field"] == "session"
    assert CheckIn.objects.count() == 0


def test_check_in_is_scoped(district, desk, activity, cangqian_activity):
    registration = sign_up(cangqian_activity)
    api = Api(desk)
    response = api.post(check_ins(cangqian_activity), {"code": registration.short_code})
    assert error(response, 404)["code"] == "not_found"
    # A session of another activity under this activity's address is not found either.
    path = f"/activities/{activity.public_id}/sessions/{cangqian_activity.sessions.get().pk}"
    assert error(api.post(f"{path}/check-ins", {"code": registration.short_code}), 404)
    assert error(api.post(f"/activities/{activity.public_id}/sessions/0/check-ins", {}), 404)
    assert CheckIn.objects.count() == 0


def test_check_out(desk, activity):
    registration = sign_up(activity)
    api = Api(desk)
    path = check_ins(activity).replace("check-ins", "check-outs")
    body = error(api.post(path, {"code": registration.short_code}), 400)
    assert (body["field"], body["message"]) == (
        "code",
        "This person has not checked in to this session.",
    )
    ok(api.post(check_ins(activity), {"code": registration.short_code}), 201)
    body = ok(api.post(path, {"code": registration.short_code}))
    assert body["checked_out_at"] is not None
    assert "created" not in body
    entry = CheckIn.objects.get()
    assert entry.checked_out_at is not None


def test_the_door_code_checks_a_resident_in(desk, activity):
    resident = factories.PersonFactory()
    registration = sign_up(activity, resident)
    door = ok(
        Api(desk).get(
            f"/activities/{activity.public_id}/sessions/{activity.sessions.get().pk}/door-code"
        )
    )
    assert door["valid_seconds"] == codes.DOOR_TOKEN_SECONDS
    assert door["door_url"] == f"http://testserver/activities/door/{door['token']}/"
    resident_api = Client()
    resident_api.force_login(resident, backend="dangqun.accounts.backends.PersonBackend")
    response = resident_api.post(door["api_path"], content_type="application/json")
    assert response.status_code == 201, response.content
    assert CheckIn.objects.get().registration == registration


# --- walk-ins -----------------------------------------------------------------------------


def walk_ins(activity) -> str:
    return check_ins(activity).replace("check-ins", "walk-ins")


@pytest.fixture
def open_door(activity):
    activity.walk_ins = True
    activity.save()
    return activity


def test_a_walk_in_gets_an_account_at_the_counter(desk, open_door):
    response = Api(desk).post(
        walk_ins(open_door), {"mobile": "139 0000 2222", "name": "赵大爷", "consent": True}
    )
    body = ok(response, 201)
    person = Person.objects.get(mobile="13900002222")
    assert person.name == "赵大爷"
    assert person.privacy_consent_at is not None
    assert body["created"] is True and body["method"] == "walk_in"
    assert body["registration"]["is_walk_in"] is True
    assert body["registration"]["person"]["mobile_masked"] == "139****2222"
    assert "13900002222" not in response.content.decode()
    registration = Registration.objects.get(person=person)
    assert (registration.status, registration.is_walk_in) == (Status.CONFIRMED, True)
    assert CheckIn.objects.get().method == "walk_in"
    counter = AuditEntry.objects.get(action="person.consent_at_counter")
    assert (counter.actor_id, counter.object_id) == (desk.pk, str(person.pk))
    # The same person again: nothing new.
    again = ok(Api(desk).post(walk_ins(open_door), {"mobile": "13900002222"}))
    assert again["created"] is False
    assert (Person.objects.filter(mobile="13900002222").count(), CheckIn.objects.count()) == (1, 1)


def test_a_walk_in_who_had_signed_up_is_just_checked_in(desk, open_door):
    known = factories.PersonFactory(name="李四海", mobile="13912340002")
    registration = sign_up(open_door, known)
    body = ok(Api(desk).post(walk_ins(open_door), {"mobile": "13912340002", "name": "别名"}), 201)
    assert body["registration"]["public_id"] == str(registration.public_id)
    known.refresh_from_db()
    assert known.name == "李四海"  # an existing account keeps its name
    assert Registration.objects.count() == 1
    assert not AuditEntry.objects.filter(action="person.consent_at_counter").exists()


@pytest.mark.parametrize(
    ("body", "status", "field", "message"),
    [
        ({"mobile": "12345", "name": "赵大爷"}, 400, "mobile", "11 digits"),
        ({"mobile": "13900002222"}, 400, "name", "enter the person's name."),
        ({"mobile": "13900002222", "name": "赵大爷"}, 400, "consent", "privacy notice"),
        ({"mobile": "13900002222", "name": "赵" * 51}, 422, "name", "At most 50 characters"),
        ({"name": "赵大爷"}, 422, "mobile", "required"),
    ],
)
def test_a_walk_in_needs_a_mobile_and_a_name(desk, open_door, body, status, field, message):
    answer = error(Api(desk).post(walk_ins(open_door), body), status)
    assert answer["field"] == field
    assert message in answer["message"]
    assert not Person.objects.filter(mobile="13900002222").exists()
    assert CheckIn.objects.count() == 0


def test_refused_walk_ins_leave_no_account_behind(district, desk, activity):
    # This activity does not take walk-ins.
    body = error(Api(desk).post(walk_ins(activity), {"mobile": "13900002222", "name": "赵"}), 403)
    assert (body["code"], body["field"]) == ("not_eligible", "activity")
    assert body["message"] == "This activity does not take walk-ins."
    # Walk-ins welcome, but the session is days ahead: nothing is kept.
    later = factories.activity(district.xianlin_center, walk_ins=True)
    body = error(Api(desk).post(walk_ins(later), {"mobile": "13900002222", "name": "赵"}), 400)
    assert body["field"] == "session"
    assert not Person.objects.filter(mobile="13900002222").exists()
    assert Registration.objects.count() == 0
    later.refresh_from_db()
    assert later.taken == 0


def test_a_full_activity_takes_no_walk_in(desk, open_door):
    for _ in range(3):
        sign_up(open_door)
    new_person = {"mobile": "13900002222", "name": "赵", "consent": True}
    body = error(Api(desk).post(walk_ins(open_door), new_person), 403)
    assert body["message"] == "The activity is full."
    assert not Person.objects.filter(mobile="13900002222").exists()


def test_walk_ins_are_scoped(desk, cangqian_activity):
    Activity.objects.filter(pk=cangqian_activity.pk).update(walk_ins=True)
    answer = Api(desk).post(walk_ins(cangqian_activity), {"mobile": "13900002222", "name": "赵"})
    assert error(answer, 404)["code"] == "not_found"
    assert not Person.objects.filter(mobile="13900002222").exists()


# --- figures ------------------------------------------------------------------------------


def _attend(registration, session, staff):
    services.check_in(
        actor=staff,
        session=session,
        registration=registration,
        method="short_code",
        check_window=False,
    )


@pytest.fixture
def attended(district, desk, boss):
    """Xianlin: a course of two sessions (today and in a week and a bit); an elder came to both, a
    party member to the first. Cangqian: one rider came once."""
    course = factories.activity(district.xianlin_center, sessions=2)
    first, second = course.sessions.order_by("start")
    first.start = shanghai(timezone.localdate(), 9)
    first.end = shanghai(timezone.localdate(), 11)
    first.save()
    elder = sign_up(course)
    factories.tag(elder.person, "elder")
    member = sign_up(course)
    factories.tag(member.person, "party_member")
    for registration, session in [(elder, first), (elder, second), (member, first)]:
        _attend(registration, session, desk)
    riders = factories.activity(district.cangqian_center)
    _attend(sign_up(riders), riders.sessions.get(), boss)
    return course, riders


def test_an_activity_s_attendance(xianlin, attended):
    course, _riders = attended
    body = ok(xianlin.get(f"/activities/{course.public_id}/attendance"))
    assert (body["person_times"], body["people"], body["sessions"]) == (3, 2, 2)
    assert body["by_tag"]["elder"] == {"label": "Elder", "person_times": 2, "people": 1}
    assert body["by_tag"]["party_member"]["person_times"] == 1
    assert body["by_tag"]["volunteer"]["people"] == 0
    today = timezone.localdate().isoformat()
    only_today = ok(
        xianlin.get(f"/activities/{course.public_id}/attendance", {"since": today, "until": today})
    )
    assert (only_today["person_times"], only_today["people"]) == (2, 2)
    assert (only_today["since"], only_today["until"]) == (today, today)


def test_a_center_s_and_a_street_s_attendance(district, xianlin, boss, attended):
    assert ok(xianlin.get("/attendance", {"center": "xianlin"}))["person_times"] == 3
    assert ok(xianlin.get("/attendance", {"street": district.xianlin.pk}))["people"] == 2
    everything = ok(Api(boss).get("/attendance"))
    assert (everything["person_times"], everything["people"], everything["activities"]) == (
        4,
        3,
        2,
    )
    assert ok(Api(boss).get("/attendance", {"street": district.cangqian.pk}))["person_times"] == 1
    assert ok(xianlin.get("/attendance"))["person_times"] == 3  # only what the admin sees
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert ok(xianlin.get("/attendance", {"since": later}))["person_times"] == 0


def test_attendance_is_scoped_and_checked(district, xianlin, attended):
    _course, riders = attended
    assert error(xianlin.get("/attendance", {"center": "cangqian"}), 404)
    assert error(xianlin.get("/attendance", {"street": district.cangqian.pk}), 404)
    assert error(xianlin.get(f"/activities/{riders.public_id}/attendance"), 404)
    body = error(xianlin.get("/attendance", {"since": "2025-05-02", "until": "2025-05-01"}), 400)
    assert (body["field"], body["message"]) == ("until", "The end date is before the start date.")
    assert error(xianlin.get("/attendance", {"since": "May"}), 422)["field"] == "since"
    assert error(Api(factories.PersonFactory()).get("/attendance"), 404)


# --- exhibitions --------------------------------------------------------------------------


@pytest.fixture
def exhibition(district):
    return factories.activity(district.xianlin_center, kind="exhibition", title="草根文化展")


def test_exhibition_visitors_day_by_day(xianlin, xianlin_admin, exhibition):
    path = f"/activities/{exhibition.public_id}/exhibition-days"
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    assert ok(xianlin.put(path, {"date": yesterday.isoformat(), "visitors": 120})) == {
        "date": yesterday.isoformat(),
        "visitors": 120,
    }
    ok(xianlin.put(path, {"date": today.isoformat(), "visitors": 80}))
    ok(xianlin.put(path, {"date": today.isoformat(), "visitors": 95}))  # corrected
    assert ok(xianlin.get(path)) == [
        {"date": yesterday.isoformat(), "visitors": 120},
        {"date": today.isoformat(), "visitors": 95},
    ]
    assert ExhibitionDay.objects.get(date=today).entered_by == xianlin_admin
    figures = ok(xianlin.get(f"/activities/{exhibition.public_id}/attendance"))
    assert figures["exhibition_visitors_counted"] == 215


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"date": "tomorrow", "visitors": 1}, 422, "date"),
        ({"date": None, "visitors": -1}, 422, "visitors"),
        ({"date": "+1", "visitors": 1}, 400, "date"),
        ({"date": None}, 422, "visitors"),
    ],
)
def test_wrong_visitor_counts_are_refused(xianlin, exhibition, body, status, field):
    today = timezone.localdate()
    if body["date"] is None:
        body = {**body, "date": today.isoformat()}
    elif body["date"] == "+1":
        body = {**body, "date": (today + timedelta(days=1)).isoformat()}
    path = f"/activities/{exhibition.public_id}/exhibition-days"
    assert error(xianlin.put(path, body), status)["field"] == field
    assert ExhibitionDay.objects.count() == 0


def test_visitors_are_for_exhibitions_of_my_street(district, xianlin, activity):
    body = {"date": timezone.localdate().isoformat(), "visitors": 3}
    answer = error(xianlin.put(f"/activities/{activity.public_id}/exhibition-days", body), 400)
    assert (answer["field"], answer["message"]) == (
        "activity",
        "Daily visitor counts are for exhibitions.",
    )
    theirs = factories.activity(district.cangqian_center, kind="exhibition")
    error(xianlin.put(f"/activities/{theirs.public_id}/exhibition-days", body), 404)
    error(xianlin.get(f"/activities/{theirs.public_id}/exhibition-days"), 404)
    assert ExhibitionDay.objects.count() == 0


def test_the_openapi_document_lists_the_staff_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    base = "/api/v1/staff/activities/{public_id}"
    session = base + "/sessions/{session_id}"
    expected = {
        "/api/v1/staff/activities": {"get", "post"},
        base: {"get", "put"},
        base + "/sessions": {"put"},
        base + "/publish": {"post"},
        base + "/copy": {"post"},
        base + "/cancel": {"post"},
        base + "/finish": {"post"},
        base + "/registrations": {"get"},
        "/api/v1/staff/registrations/{public_id}/cancel": {"post"},
        session + "/check-ins": {"post"},
        session + "/check-outs": {"post"},
        session + "/walk-ins": {"post"},
        session + "/door-code": {"get"},
        base + "/attendance": {"get"},
        "/api/v1/staff/attendance": {"get"},
        base + "/exhibition-days": {"get", "put"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert set(paths[path]) == methods, path
    registrant = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["RegistrantOut"]
    assert set(registrant["properties"]) == {"public_id", "name", "mobile_masked"}


# --- bad input (issue 12) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "edge", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "1899-06-01T08:00"]
)
def test_a_moment_out_of_range_is_refused_and_nothing_is_saved(xianlin, edge):
    body = error(xianlin.post("/activities", {**payload(), "registration_closes": edge}), 422)
    assert body["field"] == "registration_closes"
    assert "from 1901-01-01" in body["message"]
    assert not Activity.objects.exists()


def test_one_row_stored_out_of_range_does_not_break_the_list(xianlin, activity):
    """A row written before the boundary existed (year 9999) still lists, for everyone."""
    far = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    Activity.objects.filter(pk=activity.pk).update(registration_closes=far)
    body = ok(xianlin.get("/activities"))
    assert [a["public_id"] for a in body] == [str(activity.public_id)]
    assert body[0]["registration_closes"].startswith("9999-12-31T23:59:59")


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (501, 0), (-1, 0), (10, -1)])
def test_paging_out_of_bounds_is_refused(xianlin, limit, offset):
    body = error(xianlin.get("/activities", {"limit": limit, "offset": offset}), 422)
    assert body["field"] in ("limit", "offset")
