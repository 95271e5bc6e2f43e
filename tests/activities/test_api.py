"""The activities API for residents over HTTP, signed in with a Bearer token: find and
filter, read, sign up, follow one's sign-ups, the personal check-in code, cancel, accept an
offer, check in at the door. Errors are {"code", "message", "field"}."""

import io
import uuid
from datetime import datetime, timedelta

import pytest
import segno
from django.core import signing
from django.utils import timezone

from dangqun.activities import codes, services
from dangqun.activities.models import Activity, CheckIn, Registration
from dangqun.activities.views import staff_check_in_path
from dangqun.core.models import AuditEntry
from tests import factories
from tests.clients import Api, error

pytestmark = pytest.mark.django_db

API = "/api/v1"
MOBILE = "13912340001"
Status = Registration.Status


@pytest.fixture
def resident(db):
    return factories.PersonFactory(name="王小明", mobile=MOBILE)


@pytest.fixture
def api(resident):
    return Api(resident, token=True)


@pytest.fixture
def activity(district):
    return factories.activity(district.xianlin_center, capacity=2, title="婴儿抚触操培训")


def running(activity):
    """The activity's (first) session, moved so that it is on now: check-in is open."""
    session = activity.sessions.order_by("start").first()
    session.start = timezone.now() - timedelta(minutes=10)
    session.end = timezone.now() + timedelta(hours=1)
    session.save()
    return session


def sign_up(person, activity) -> Registration:
    return services.registration_create(actor=person, activity=activity)


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [a["title"] for a in response.json()]


# --- finding activities -----------------------------------------------------------------


def test_the_list_shows_published_activities_to_come(district):
    factories.activity(district.xianlin_center, title="亲子阅读", days_ahead=2)
    factories.activity(district.cangqian_center, title="骑手恳谈会", days_ahead=4)
    factories.activity(district.xianlin_center, title="草稿", status="draft")
    factories.activity(district.xianlin_center, title="已取消", status="cancelled")
    past = factories.activity(district.xianlin_center, title="已结束的课")
    past.sessions.update(
        start=timezone.now() - timedelta(days=2), end=timezone.now() - timedelta(days=2, hours=-1)
    )
    assert titles(Api(token=True).get("/activities")) == ["亲子阅读", "骑手恳谈会"]


def test_the_list_s_answer(district):
    made = factories.activity(
        district.xianlin_center, capacity=5, sessions=2, eligible_tags=["elder"]
    )
    elder = factories.PersonFactory()
    factories.tag(elder, "elder")
    sign_up(elder, made)
    [body] = Api(token=True).get("/activities").json()
    assert body["public_id"] == str(made.public_id)
    assert body["center"] == "xianlin"
    assert body["kind"] == "class"
    assert (body["capacity"], body["places_left"]) == (5, 4)
    assert body["eligible_tags"] == ["elder"]
    assert body["venue"] == "address" and body["address"] == "仁和街道"
    assert len(body["sessions"]) == 2
    assert body["sessions"][0]["start"].endswith("T09:00:00+08:00")  # Shanghai time


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"center": "cangqian"}, ["骑手恳谈会"]),
        ({"kind": "training"}, ["骑手恳谈会"]),
        ({"kind": "class", "center": "cangqian"}, []),
    ],
)
def test_the_list_s_filters(district, query, expected):
    factories.activity(district.xianlin_center, title="亲子阅读", days_ahead=2)
    factories.activity(district.cangqian_center, title="骑手恳谈会", kind="training", days_ahead=4)
    assert titles(Api(token=True).get("/activities", query)) == expected


def test_the_street_and_day_filters(district):
    factories.activity(district.xianlin_center, title="亲子阅读", days_ahead=2)
    factories.activity(district.cangqian_center, title="骑手恳谈会", days_ahead=4)
    assert titles(Api(token=True).get("/activities", {"street": district.cangqian.pk})) == [
        "骑手恳谈会"
    ]
    assert titles(Api(token=True).get("/activities", {"street": district.district.pk})) == [
        "亲子阅读",
        "骑手恳谈会",
    ]
    day = (timezone.localdate() + timedelta(days=2)).isoformat()
    assert titles(Api(token=True).get("/activities", {"day": day})) == ["亲子阅读"]


def test_for_me_leaves_out_what_i_may_not_join(district, api, resident):
    factories.activity(district.xianlin_center, title="人人可来", days_ahead=2)
    factories.activity(district.xianlin_center, title="党员学习", eligible_tags=["party_member"])
    assert titles(api.get("/activities", {"for_me": "true"})) == ["人人可来"]
    factories.tag(resident, "party_member")
    assert titles(api.get("/activities", {"for_me": "true"})) == ["人人可来", "党员学习"]
    # Without signing in there is nobody to filter for.
    assert titles(Api(token=True).get("/activities", {"for_me": "true"})) == [
        "人人可来",
        "党员学习",
    ]


def test_the_list_reads_a_fixed_number_of_queries(
    district, api, resident, django_assert_num_queries, django_assert_max_num_queries
):
    factories.tag(resident, "elder")
    factories.activity(district.xianlin_center, sessions=2, eligible_tags=["elder"])
    api.get("/activities")  # the token's first use is written down once; not the list's cost
    with django_assert_max_num_queries(50) as few:
        assert len(titles(api.get("/activities", {"for_me": "true"}))) == 1
    for n in range(4):
        factories.activity(district.cangqian_center, sessions=n + 1, eligible_tags=["elder"])
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(titles(api.get("/activities", {"for_me": "true"}))) == 5


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ({"center": "nowhere"}, 404, None),
        ({"street": 987654}, 404, None),
        ({"street": "xianlin"}, 422, "street"),
        ({"kind": "party"}, 422, "kind"),
        ({"day": "tomorrow"}, 422, "day"),
    ],
)
def test_bad_filters_are_refused(district, query, status, field):
    assert error(Api(token=True).get("/activities", query), status)["field"] == field


def test_an_activity_s_detail(activity):
    body = Api(token=True).get(f"/activities/{activity.public_id}").json()
    assert body["title"] == "婴儿抚触操培训"
    assert body["status"] == "published"
    assert body["registration_closes"].endswith("+08:00")
    assert [s["id"] for s in body["sessions"]] == [activity.sessions.get().pk]


def test_a_draft_or_unknown_activity_is_404(district):
    draft = factories.activity(district.xianlin_center, status="draft")
    for public_id in (draft.public_id, uuid.uuid4(), "not-a-uuid"):
        body = error(Api(token=True).get(f"/activities/{public_id}"), 404)
        assert body["code"] == "not_found"


# --- signing up -------------------------------------------------------------------------


def test_sign_up_gives_a_place_and_a_code(
    api, resident, activity, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/activities/{activity.public_id}/registrations")
    assert response.status_code == 201, response.content
    body = response.json()
    registration = Registration.objects.get()
    assert registration.person == resident
    assert body["public_id"] == str(registration.public_id)
    assert body["activity"] == str(activity.public_id)
    assert body["activity_title"] == "婴儿抚触操培训"
    assert body["status"] == "confirmed"
    assert body["short_code"] == registration.short_code
    assert len(body["short_code"]) == 6 and set(body["short_code"]) <= set(services.CODE_ALPHABET)
    assert body["waiting_position"] is None
    assert body["checkin_qr_url"] == (
        f"http://testserver/api/v1/registrations/{registration.public_id}/check-in-qr"
    )
    assert [(to, registration.short_code in text) for to, text in sms_outbox] == [(MOBILE, True)]
    activity.refresh_from_db()
    assert activity.taken == 1


def test_a_full_activity_puts_me_on_the_waiting_list(district, api):
    full = factories.activity(district.xianlin_center, capacity=1)
    sign_up(factories.PersonFactory(), full)
    body = api.post(f"/activities/{full.public_id}/registrations").json()
    assert body["status"] == "waitlisted"
    assert body["waiting_position"] == 1
    assert body["checkin_qr_url"] is None


def test_signing_up_twice_is_409(api, activity):
    assert api.post(f"/activities/{activity.public_id}/registrations").status_code == 201
    body = error(api.post(f"/activities/{activity.public_id}/registrations"), 409)
    assert body["code"] == "already_registered"
    assert body["field"] == "activity"
    assert body["message"] == "You have signed up for this activity already."
    assert Registration.objects.count() == 1


def _opens_tomorrow(activity):
    activity.registration_opens = timezone.now() + timedelta(days=1)
    activity.registration_closes = timezone.now() + timedelta(days=2)
    activity.save()


def _closed(activity):
    activity.registration_opens = timezone.now() - timedelta(days=2)
    activity.registration_closes = timezone.now() - timedelta(minutes=1)
    activity.save()


def _for_party_members(activity):
    activity.eligible_tags = ["party_member"]
    activity.save()


def _for_elders(activity):
    activity.min_age = 60
    activity.save()


def _cancelled(activity):
    activity.status = Activity.Status.CANCELLED
    activity.save()


def _finished(activity):
    activity.status = Activity.Status.FINISHED
    activity.save()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_opens_tomorrow, "Sign-up opens on "),
        (_closed, "Sign-up has closed."),
        (_for_party_members, "This activity is for: Party member."),
        (_for_elders, "This activity has an age range: add your birth date"),
        (_cancelled, "This activity is cancelled."),
        (_finished, "This activity is over."),
    ],
)
def test_who_may_not_sign_up_is_told_why(api, activity, change, message):
    change(activity)
    body = error(api.post(f"/activities/{activity.public_id}/registrations"), 403)
    assert body["code"] == "not_eligible"
    assert body["field"] == "activity"
    assert body["message"].startswith(message)
    assert Registration.objects.count() == 0
    activity.refresh_from_db()
    assert activity.taken == 0


def test_sign_up_needs_signing_in_and_a_real_activity(district, api, activity):
    body = error(Api(token=True).post(f"/activities/{activity.public_id}/registrations"), 401)
    assert body["code"] == "unauthenticated"
    draft = factories.activity(district.xianlin_center, status="draft")
    for public_id in (draft.public_id, uuid.uuid4()):
        assert error(api.post(f"/activities/{public_id}/registrations"), 404)["code"] == (
            "not_found"
        )
    assert Registration.objects.count() == 0


# --- my sign-ups --------------------------------------------------------------------------


def test_my_registrations_are_mine_newest_first(district, api, resident, activity):
    later = factories.activity(district.cangqian_center, title="骑手恳谈会")
    first = sign_up(resident, activity)
    second = sign_up(resident, later)
    sign_up(factories.PersonFactory(), activity)
    Registration.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=1))
    response = api.get("/me/registrations")
    assert response.status_code == 200
    assert [r["public_id"] for r in response.json()] == [
        str(second.public_id),
        str(first.public_id),
    ]
    assert Api(token=True).get("/me/registrations").status_code == 401


def test_one_registration_is_mine_only(api, resident, activity):
    mine = sign_up(resident, activity)
    theirs = sign_up(factories.PersonFactory(), activity)
    body = api.get(f"/registrations/{mine.public_id}").json()
    assert body["short_code"] == mine.short_code
    assert body["status"] == "confirmed"
    assert body["checkin_qr_url"].endswith(f"/registrations/{mine.public_id}/check-in-qr")
    for public_id in (theirs.public_id, uuid.uuid4(), "nonsense"):
        assert error(api.get(f"/registrations/{public_id}"), 404)["code"] == "not_found"


def test_the_qr_code_leads_staff_to_their_check_in(api, resident, activity):
    mine = sign_up(resident, activity)
    response = api.get(f"/registrations/{mine.public_id}/check-in-qr")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "private, no-store"
    # The picture is the QR code of the staff's check-in address with the signed token.
    expected = io.BytesIO()
    address = "http://testserver" + staff_check_in_path(codes.personal_token(mine))
    segno.make(address, error="m").save(expected, kind="svg", scale=5, border=2)
    assert response.content == expected.getvalue()
    assert b'xmlns="http://www.w3.org/2000/svg"' in response.content


def test_no_qr_code_for_another_s_or_a_waiting_sign_up(district, api, resident, activity):
    theirs = sign_up(factories.PersonFactory(), activity)
    assert error(api.get(f"/registrations/{theirs.public_id}/check-in-qr"), 404)
    full = factories.activity(district.xianlin_center, capacity=1)
    sign_up(factories.PersonFactory(), full)
    waiting = sign_up(resident, full)
    body = error(api.get(f"/registrations/{waiting.public_id}/check-in-qr"), 400)
    assert body["field"] == "status"
    assert Api(token=True).get(f"/registrations/{theirs.public_id}/check-in-qr").status_code == 401


# --- cancelling and offers ----------------------------------------------------------------


def test_cancelling_gives_the_place_to_the_next(district, api, resident):
    full = factories.activity(district.xianlin_center, capacity=1)
    mine = sign_up(resident, full)
    waiting = sign_up(factories.PersonFactory(), full)
    response = api.post(f"/registrations/{mine.public_id}/cancel")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert response.json()["checkin_qr_url"] is None
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    body = error(api.post(f"/registrations/{mine.public_id}/cancel"), 400)
    assert (body["field"], body["message"]) == ("status", "This sign-up is not active.")


def test_nobody_cancels_another_s_sign_up(api, activity):
    theirs = sign_up(factories.PersonFactory(), activity)
    assert error(api.post(f"/registrations/{theirs.public_id}/cancel"), 404)["code"] == (
        "not_found"
    )
    theirs.refresh_from_db()
    assert theirs.status == Status.CONFIRMED
    assert error(api.post(f"/registrations/{uuid.uuid4()}/cancel"), 404)


def test_accepting_an_offer(district, api, resident):
    full = factories.activity(district.xianlin_center, capacity=1, promotion_confirm_hours=2)
    holder = sign_up(factories.PersonFactory(), full)
    mine = sign_up(resident, full)
    services.registration_cancel(actor=holder.person, registration=holder)
    offered = api.get(f"/registrations/{mine.public_id}").json()
    assert offered["status"] == "offered"
    assert offered["offered_until"].endswith("+08:00")
    response = api.post(f"/registrations/{mine.public_id}/accept")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "confirmed"
    assert response.json()["offered_until"] is None
    body = error(api.post(f"/registrations/{mine.public_id}/accept"), 400)
    assert body["field"] == "status"
    assert "expired or was answered" in body["message"]


def test_an_expired_offer_cannot_be_accepted_nor_another_s(district, api, resident):
    full = factories.activity(district.xianlin_center, capacity=1, promotion_confirm_hours=2)
    holder = sign_up(factories.PersonFactory(), full)
    mine = sign_up(resident, full)
    theirs = sign_up(factories.PersonFactory(), full)
    services.registration_cancel(actor=holder.person, registration=holder)
    Registration.objects.filter(pk=mine.pk).update(
        offered_until=timezone.now() - timedelta(minutes=1)
    )
    assert error(api.post(f"/registrations/{mine.public_id}/accept"), 400)["field"] == "status"
    assert error(api.post(f"/registrations/{theirs.public_id}/accept"), 404)
    mine.refresh_from_db()
    assert mine.status == Status.OFFERED


# --- checking in at the door --------------------------------------------------------------


def test_door_check_in_once(api, resident, activity):
    session = running(activity)
    mine = sign_up(resident, activity)
    token = codes.door_token(session)
    response = api.post(f"/activities/door/{token}")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created"] is True
    assert body["activity"] == str(activity.public_id)
    assert body["session"]["id"] == session.pk
    assert body["method"] == "door_qr"
    entry = CheckIn.objects.get()
    assert (entry.registration, entry.session, entry.method) == (mine, session, "door_qr")
    assert entry.by is None  # nobody checked them in but themselves
    again = api.post(f"/activities/door/{token}")
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert CheckIn.objects.count() == 1
    assert AuditEntry.objects.filter(action="checkin.create").count() == 1


class _LongAgo(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(datetime.now().timestamp()) - 10 * 60)


@pytest.mark.parametrize(
    "forge",
    [
        lambda session: "forged:token:x",
        lambda session: codes.door_token(session)[:-2] + "xx",
        lambda session: signing.TimestampSigner(salt="another.salt").sign(str(session.pk)),
        lambda session: _LongAgo(salt=codes.DOOR_SALT).sign(str(session.pk)),
    ],
    ids=["nonsense", "altered", "other-salt", "expired"],
)
def test_a_forged_or_expired_door_code_saves_nothing(api, resident, activity, forge):
    session = running(activity)
    sign_up(resident, activity)
    body = error(api.post(f"/activities/door/{forge(session)}"), 400)
    assert body["field"] == "token"
    assert "not valid or has expired" in body["message"]
    assert CheckIn.objects.count() == 0


def test_another_activity_s_door_code_saves_nothing(district, api, resident, activity):
    running(activity)
    sign_up(resident, activity)
    other = factories.activity(district.xianlin_center, title="别的活动")
    body = error(api.post(f"/activities/door/{codes.door_token(running(other))}"), 403)
    assert (body["code"], body["field"]) == ("not_eligible", "token")
    assert body["message"] == "You have not signed up for this activity."
    assert CheckIn.objects.count() == 0


def test_no_door_check_in_without_a_place_or_outside_the_hours(district, api, resident):
    full = factories.activity(district.xianlin_center, capacity=1)
    sign_up(factories.PersonFactory(), full)
    sign_up(resident, full)  # waiting
    body = error(api.post(f"/activities/door/{codes.door_token(running(full))}"), 400)
    assert body["field"] == "code"
    assert "no confirmed place" in body["message"]

    later = factories.activity(district.xianlin_center, title="三天后")  # its session is ahead
    sign_up(resident, later)
    body = error(api.post(f"/activities/door/{codes.door_token(later.sessions.get())}"), 400)
    assert body["field"] == "session"
    assert "30 minutes before" in body["message"]
    assert CheckIn.objects.count() == 0


def test_door_check_in_needs_signing_in(activity):
    token = codes.door_token(running(activity))
    assert (
        error(Api(token=True).post(f"/activities/door/{token}"), 401)["code"] == "unauthenticated"
    )


def test_the_openapi_document_lists_the_resident_paths(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    expected = {
        "/api/v1/activities": {"get"},
        "/api/v1/activities/{public_id}": {"get"},
        "/api/v1/activities/{public_id}/registrations": {"post"},
        "/api/v1/activities/door/{token}": {"post"},
        "/api/v1/me/registrations": {"get"},
        "/api/v1/registrations/{public_id}": {"get"},
        "/api/v1/registrations/{public_id}/check-in-qr": {"get"},
        "/api/v1/registrations/{public_id}/cancel": {"post"},
        "/api/v1/registrations/{public_id}/accept": {"post"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert set(paths[path]) >= methods, path
    signed_up = paths["/api/v1/activities/{public_id}/registrations"]["post"]
    assert "RegistrationOut" in str(signed_up["responses"]["201"])
