"""iCalendar files of activities: one activity (an event per session), the public feed of
published activities, and the private feed of one's own sign-ups."""

import html
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from icalendar import Calendar

from dangqun.activities import codes, services
from dangqun.activities.models import Activity, Registration
from tests import factories
from tests.clients import page_client

pytestmark = pytest.mark.django_db

ZONE = "Asia/Shanghai"


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return Calendar.from_ical(response.content)


def unfolded(response) -> str:
    """The file's text with folded lines joined, so a split word is still found."""
    return response.content.decode().replace("\r\n ", "").replace("\r\n\t", "")


def summaries(calendar: Calendar) -> list[str]:
    return sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))


def assert_shanghai_zone(calendar: Calendar) -> None:
    zones = calendar.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == [ZONE]
    for event in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND"):
            assert event[name].params["TZID"] == ZONE


@pytest.fixture
def me(db):
    return factories.PersonFactory(name="王小明", mobile="13912340001")


def an_activity(district, **fields):
    return factories.activity(fields.pop("center", district.xianlin_center), **fields)


def sign_up(person, activity):
    return services.registration_create(actor=person, activity=activity)


# One activity


def test_an_activity_has_one_event_per_session_in_shanghai_time(district):
    activity = an_activity(district, title="婴儿抚触操培训", sessions=3, description="带上毛巾。")
    response = page_client().get(f"/activities/{activity.public_id}.ics")
    calendar = parse(response)
    assert f'filename="activity-{activity.public_id}.ics"' in response["Content-Disposition"]
    assert_shanghai_zone(calendar)
    events = calendar.walk("VEVENT")
    sessions = list(activity.sessions.all())
    assert len(events) == len(sessions) == 3
    assert len({str(e["UID"]) for e in events}) == 3
    for event, session in zip(sorted(events, key=lambda e: e["DTSTART"].dt), sessions, strict=True):
        assert event["DTSTART"].dt == session.start
        assert event["DTEND"].dt == session.end
        assert event["DTSTART"].dt.strftime("%H:%M") == "09:00"  # Shanghai wall-clock time
        assert str(event["SUMMARY"]) == "婴儿抚触操培训"
        assert str(event["LOCATION"]) == "仁和街道"
        assert str(event["STATUS"]) == "CONFIRMED"
        assert str(event["URL"]) == f"http://testserver/activities/{activity.public_id}/"
    assert "带上毛巾。" in unfolded(response)


def test_the_file_of_a_space_activity_names_the_center_and_space(district):
    space = factories.SpaceFactory(center=district.xianlin_center, name="暖流之家")
    activity = an_activity(district)
    Activity.objects.filter(pk=activity.pk).update(venue="space", space=space, address="")
    (event,) = parse(page_client().get(f"/activities/{activity.public_id}.ics")).walk("VEVENT")
    assert str(event["LOCATION"]) == "闲林街道党群服务中心 · 暖流之家 · 杭州市余杭区"


def test_a_cancelled_activity_says_so_and_a_draft_is_not_found(district):
    cancelled = an_activity(district, status="cancelled")
    (event,) = parse(page_client().get(f"/activities/{cancelled.public_id}.ics")).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    draft = an_activity(district, status="draft")
    assert page_client().get(f"/activities/{draft.public_id}.ics").status_code == 404


# The public feed


def test_the_public_feed_lists_published_activities_and_no_one(district, me):
    shown = an_activity(district, title="公开的课", sessions=2)
    an_activity(district, title="草稿", status="draft")
    an_activity(district, title="取消了", status="cancelled")
    registration = sign_up(me, shown)
    response = page_client().get("/calendar.ics")
    calendar = parse(response)
    assert_shanghai_zone(calendar)
    assert summaries(calendar) == ["公开的课", "公开的课"]
    text = unfolded(response)
    for personal in ("王小明", me.mobile, registration.short_code, str(registration.public_id)):
        assert personal not in text


def test_the_public_feed_filters_by_center_and_kind(district):
    an_activity(district, title="闲林的课", kind="class")
    an_activity(district, title="闲林的展览", kind="exhibition")
    an_activity(district, title="仓前的课", kind="class", center=district.cangqian_center)
    client = page_client()

    def feed(**filters):
        return summaries(parse(client.get("/calendar.ics", filters)))

    assert feed(center="xianlin") == ["闲林的展览", "闲林的课"]
    assert feed(kind="class") == ["仓前的课", "闲林的课"]
    assert feed(center="cangqian", kind="class") == ["仓前的课"]
    assert feed(center="cangqian", kind="exhibition") == []
    assert feed() == ["仓前的课", "闲林的展览", "闲林的课"]
    assert client.get("/calendar.ics", {"center": "nowhere"}).status_code == 404
    assert client.get("/calendar.ics", {"kind": "party"}).status_code == 404


def test_the_activities_page_links_the_public_feed(district):
    page = page_client().get("/activities/").content.decode()
    assert 'href="/calendar.ics"' in page


# The private feed


def feed_path(person) -> str:
    return f"/activities/feed/{codes.feed_token(person)}.ics"


def test_the_private_feed_has_only_my_active_sign_ups(district, me):
    confirmed = an_activity(district, title="有位子的", sessions=2)
    sign_up(me, confirmed)
    full = an_activity(district, title="满了的", capacity=1)
    sign_up(factories.PersonFactory(), full)
    waiting = sign_up(me, full)
    gone = sign_up(me, an_activity(district, title="取消了的"))
    services.registration_cancel(actor=me, registration=gone)
    sign_up(factories.PersonFactory(), an_activity(district, title="别人的"))

    response = Client().get(feed_path(me))  # a calendar app: no cookie, no session
    calendar = parse(response)
    assert_shanghai_zone(calendar)
    # The person chose no language, so the feed speaks the default one (Chinese).
    with translation.override(settings.LANGUAGE_CODE):
        full_summary = f"满了的 ({Registration.Status.WAITLISTED.label})"
    assert summaries(calendar) == ["有位子的", "有位子的", full_summary]
    by_summary = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert str(by_summary[full_summary]["STATUS"]) == "TENTATIVE"
    assert str(by_summary["有位子的"]["STATUS"]) == "CONFIRMED"
    assert str(by_summary[full_summary]["URL"]) == (
        f"http://testserver/activities/registrations/{waiting.public_id}/"
    )


def test_the_private_feed_address_is_on_my_activities_page(district, me):
    sign_up(me, an_activity(district, title="有位子的"))
    page = html.unescape(page_client(me).get("/activities/mine/").content.decode())
    url = re.search(r"http://testserver(/activities/feed/[^<\s]+\.ics)", page).group(1)
    assert summaries(parse(Client().get(url))) == ["有位子的"]


def test_a_forged_or_foreign_feed_token_is_not_found(district, me):
    sign_up(me, an_activity(district))
    token = codes.feed_token(me)
    assert Client().get(f"/activities/feed/{token[:-3]}abc.ics").status_code == 404
    bookings_token = f"/activities/feed/{_bookings_feed_token(me)}.ics"
    assert Client().get(bookings_token).status_code == 404
    me.is_active = False
    me.save()
    assert Client().get(feed_path(me)).status_code == 404


def _bookings_feed_token(person) -> str:
    """A token signed for another purpose (the bookings feed) opens nothing here."""
    from django.core import signing

    return signing.dumps(str(person.public_id), salt="dangqun.bookings.feed", compress=True)


def test_a_past_session_stays_in_the_feed_while_the_activity_runs(district, me):
    activity = an_activity(district, title="两次课", sessions=2)
    sign_up(me, activity)
    first = activity.sessions.first()
    first.start = timezone.now() - timedelta(days=2)
    first.end = first.start + timedelta(hours=1)
    first.save()
    assert summaries(parse(Client().get(feed_path(me)))) == ["两次课", "两次课"]
