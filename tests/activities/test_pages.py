"""The resident's activity pages over HTTP: find and filter, read, sign up, follow one's
place on the waiting list, accept an offer, cancel; the personal check-in code; checking in
by scanning the door's code."""

import html
import re
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.urls import resolve
from django.utils import timezone

from dangqun.activities import codes, services, views
from dangqun.activities.models import Activity, CheckIn, Registration
from dangqun.core import geo
from dangqun.people.models import PersonTag
from tests import factories
from tests.clients import count_queries, page_client
from tests.pages import field_error

pytestmark = pytest.mark.django_db

Status = Registration.Status


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def said(response) -> list[str]:
    """The messages a page queued for the next page."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def card_titles(text: str) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a href="/activities/[^"]+/">([^<]+)</a>', text)


def has_sign_up_form(text: str, activity) -> bool:
    return f'action="/activities/{activity.public_id}/sign-up/"' in text


@pytest.fixture
def me(db):
    return factories.PersonFactory(name="王小明")


def an_activity(district, **fields):
    """An activity of the Xianlin center; a partner or sub-brand given by name is made,
    co-building with that center."""
    center = fields.pop("center", district.xianlin_center)
    if isinstance(fields.get("partner"), str):
        fields["partner"] = factories.partner(center, name=fields["partner"])
    if isinstance(fields.get("sub_brand"), str):
        fields["sub_brand"] = factories.sub_brand(
            fields["partner"], center, name=fields["sub_brand"]
        )
    return factories.activity(center, **fields)


def sign_up(person, activity) -> Registration:
    return services.registration_create(actor=person, activity=activity)


def now_session(activity):
    """Move the activity's (first) session so that it is running now: check-in is open."""
    session = activity.sessions.first()
    session.start = timezone.now() - timedelta(minutes=5)
    session.end = timezone.now() + timedelta(hours=1)
    session.save()
    return session


# The list


def test_list_shows_published_activities_to_come_with_their_facts(district):
    shown = an_activity(
        district, title="婴儿抚触操培训", partner="闲富门诊", sub_brand="夏天织帽子", capacity=12
    )
    full = an_activity(district, title="直播带岗", kind="livestream", capacity=1)
    sign_up(factories.PersonFactory(), full)
    an_activity(district, title="草稿活动", status="draft")
    an_activity(district, title="取消的活动", status="cancelled")
    past = an_activity(district, title="上周的活动")
    past.sessions.update(
        start=timezone.now() - timedelta(days=7), end=timezone.now() - timedelta(days=7, hours=-1)
    )

    text = page(page_client().get("/activities/"))

    assert sorted(card_titles(text)) == sorted(["婴儿抚触操培训", "直播带岗"])
    card = text.split("婴儿抚触操培训", 1)[1].split("</li>", 1)[0]
    start = timezone.localtime(shown.sessions.get().start)
    assert start.hour == 9  # Shanghai time, as the factory made it
    assert f"{start:%Y-%m-%d} " in card and "09:00–11:00" in card
    assert "Class" in card  # the kind
    assert "Xianlin Center" in card
    assert "with 闲富门诊" in card and "夏天织帽子" in card
    assert "12 places left" in card
    full_card = text.split("直播带岗", 1)[1].split("</li>", 1)[0]
    assert "Livestream" in full_card and "waiting list" in full_card


def test_list_filters_by_street_center_kind_and_day(district):
    in_xianlin = an_activity(district, title="闲林的课", kind="class")
    an_activity(district, title="仓前的展览", kind="exhibition", center=district.cangqian_center)
    later = an_activity(district, title="下个月的培训", kind="training", days_ahead=30)
    client = page_client()

    def titles(**filters):
        return sorted(card_titles(page(client.get("/activities/", filters))))

    assert titles(street=district.xianlin.pk) == ["下个月的培训", "闲林的课"]
    assert titles(street=district.cangqian.pk) == ["仓前的展览"]
    assert titles(center="cangqian") == ["仓前的展览"]
    assert titles(kind="class") == ["闲林的课"]
    day = timezone.localtime(later.sessions.get().start).date()
    assert titles(date=day.isoformat()) == ["下个月的培训"]
    assert titles(date=day.isoformat(), center="cangqian") == []
    assert titles() == ["下个月的培训", "仓前的展览", "闲林的课"]
    assert in_xianlin.center.slug == "xianlin"


def test_a_day_shows_that_day_s_session_on_the_card(district):
    activity = an_activity(district, title="每周的课", sessions=3)
    third = timezone.localtime(activity.sessions.order_by("start")[2].start)
    text = page(page_client().get("/activities/", {"date": f"{third:%Y-%m-%d}"}))
    assert card_titles(text) == ["每周的课"]
    assert f'datetime="{third.isoformat()}"' in text


def test_an_unreadable_filter_is_said_beside_its_field_and_left_out(district):
    an_activity(district, title="闲林的课")
    text = page(page_client().get("/activities/", {"date": "not-a-day", "kind": "class"}))
    assert field_error(text, "date") == "Enter a valid date."
    assert card_titles(text) == ["闲林的课"]


def test_for_me_shows_only_what_the_person_may_join(district, me):
    an_activity(district, title="党员学习", eligible_tags=["party_member"])
    an_activity(district, title="老年人的课", min_age=60)
    an_activity(district, title="人人可来")
    client = page_client(me)

    assert sorted(card_titles(page(client.get("/activities/", {"for_me": "on"})))) == ["人人可来"]
    factories.tag(me, PersonTag.Tag.PARTY_MEMBER)
    text = page(client.get("/activities/", {"for_me": "on"}))
    assert sorted(card_titles(text)) == ["人人可来", "党员学习"]
    assert "only those you can join" in text
    assert len(card_titles(page(client.get("/activities/")))) == 3


def test_for_me_is_not_offered_to_anonymous_visitors(district):
    an_activity(district, title="党员学习", eligible_tags=["party_member"])
    text = page(page_client().get("/activities/", {"for_me": "on"}))
    assert 'name="for_me"' not in text
    assert card_titles(text) == ["党员学习"]
    assert 'href="/accounts/sign-in/?next=' in text


def test_the_list_marks_what_i_signed_up_for(district, me):
    mine = an_activity(district, title="我报名的")
    an_activity(district, title="别的")
    sign_up(me, mine)
    text = page(page_client(me).get("/activities/"))
    assert "You signed up" in text.split("我报名的", 1)[1].split("</li>", 1)[0]
    assert "You signed up" not in text.split("别的", 1)[1].split("</li>", 1)[0]


def test_htmx_refresh_returns_only_the_results(district):
    an_activity(district, title="闲林的课")
    response = page_client().get("/activities/", {"kind": "class"}, headers={"HX-Request": "true"})
    text = page(response)
    assert "<html" not in text and "<form" not in text
    assert card_titles(text) == ["闲林的课"]
    assert "HX-Request" in response["Vary"]
    full = page(page_client().get("/activities/", {"kind": "class"}))
    assert "<html" in full and 'hx-get="/activities/"' in full


@pytest.mark.parametrize("for_me", [False, True])
def test_the_list_costs_the_same_queries_for_few_or_many_activities(district, me, for_me):
    factories.tag(me, PersonTag.Tag.PARTY_MEMBER)
    me.home_region = district.minfeng
    me.save()

    def add(n):
        for i in range(n):
            made = an_activity(
                district,
                title=f"活动{i}",
                sessions=2,
                eligible_tags=["party_member"],
                eligible_region=district.xianlin,
                partner="浙江外国语学院",
            )
            sign_up(me, made)

    client = page_client(me)
    filters = {"for_me": "on"} if for_me else {}
    add(2)
    few, shown = count_queries(lambda: page(client.get("/activities/", filters)))
    assert len(card_titles(shown)) == 2
    add(10)
    many, shown = count_queries(lambda: page(client.get("/activities/", filters)))
    assert len(card_titles(shown)) == 12
    assert many == few


def test_the_anonymous_list_has_a_fixed_cost(district, django_assert_max_num_queries):
    for i in range(8):
        an_activity(district, title=f"活动{i}", sessions=3)
    with django_assert_max_num_queries(6):
        assert len(card_titles(page(page_client().get("/activities/")))) == 8


# The activity page


def test_anonymous_visitors_read_the_activity_and_are_asked_to_sign_in(district):
    activity = an_activity(
        district, description="带宝宝来学习抚触。", sessions=2, min_age=18, max_age=45
    )
    text = page(page_client().get(f"/activities/{activity.public_id}/"))
    assert "带宝宝来学习抚触。" in text
    assert text.count("09:00–11:00") == 2
    assert "For people aged 18 to 45." in text
    assert "10 places left" in text
    link = f'href="/accounts/sign-in/?next=%2Factivities%2F{activity.public_id}%2F"'
    assert link in text and "Sign in to sign up" in text
    assert not has_sign_up_form(text, activity)


def test_the_eligible_person_gets_the_one_tap_button(district, me):
    activity = an_activity(district)
    text = page(page_client(me).get(f"/activities/{activity.public_id}/"))
    assert has_sign_up_form(text, activity)
    assert "Open to everyone." in text
    assert "Sign in to sign up" not in text


def test_the_person_who_may_not_join_reads_why(district, me):
    activity = an_activity(district, eligible_tags=["party_member", "elder"])
    text = page(page_client(me).get(f"/activities/{activity.public_id}/"))
    assert not has_sign_up_form(text, activity)
    assert "This activity is for: Party member、Elder." in text
    assert "Only for: Party member、Elder." in text  # the rule, for everyone


def test_the_page_of_a_closed_sign_up_says_so(district, me):
    activity = an_activity(district)
    Activity.objects.filter(pk=activity.pk).update(
        registration_opens=timezone.now() - timedelta(days=3),
        registration_closes=timezone.now() - timedelta(days=1),
    )
    for client in (page_client(), page_client(me)):
        text = page(client.get(f"/activities/{activity.public_id}/"))
        assert "Sign-up has closed." in text
        assert not has_sign_up_form(text, activity)
        assert "Sign in to sign up" not in text


def test_a_registered_person_sees_the_place_and_the_way_to_the_code(district, me):
    activity = an_activity(district)
    registration = sign_up(me, activity)
    text = page(page_client(me).get(f"/activities/{activity.public_id}/"))
    assert not has_sign_up_form(text, activity)
    assert '<span class="badge confirmed">Confirmed</span>' in text
    assert f'href="/activities/registrations/{registration.public_id}/"' in text
    assert "9 places left" in text
    assert f'action="/activities/registrations/{registration.public_id}/cancel/"' in text

    response = page_client(me).post(
        f"/activities/registrations/{registration.public_id}/cancel/", {"back": "activity"}
    )
    assert response["Location"] == f"/activities/{activity.public_id}/"
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED
    text = page(page_client(me).get(f"/activities/{activity.public_id}/"))
    assert has_sign_up_form(text, activity)  # one may sign up again


def test_a_waitlisted_person_sees_their_position(district, me):
    activity = an_activity(district, capacity=1)
    sign_up(factories.PersonFactory(), activity)
    sign_up(factories.PersonFactory(), activity)
    sign_up(me, activity)
    text = page(page_client(me).get(f"/activities/{activity.public_id}/"))
    assert "On the waiting list" in text
    assert "You are number 2 on the waiting list." in text
    assert "Full: new sign-ups join the waiting list." in text


def test_an_offered_person_sees_until_when_to_accept(district, me):
    activity = an_activity(district, capacity=1, promotion_confirm_hours=4)
    holder = sign_up(factories.PersonFactory(), activity)
    mine = sign_up(me, activity)
    services.registration_cancel(actor=holder.person, registration=holder)
    mine.refresh_from_db()
    until = timezone.localtime(mine.offered_until)
    text = page(page_client(me).get(f"/activities/{activity.public_id}/"))
    assert f"Accept it before {until:%Y-%m-%d %H:%M}" in text
    assert f'action="/activities/registrations/{mine.public_id}/accept/"' in text
    assert "Decline" in text

    response = page_client(me).post(
        f"/activities/registrations/{mine.public_id}/accept/", {"back": "activity"}
    )
    assert response["Location"] == f"/activities/{activity.public_id}/"
    mine.refresh_from_db()
    assert mine.status == Status.CONFIRMED
    text = page(page_client(me).get(f"/activities/{activity.public_id}/"))
    assert "/accept/" not in text and "My check-in code" in text


def test_where_it_takes_place(district):
    space = factories.SpaceFactory(
        center=district.xianlin_center, name="暖流之家", name_en="Warm Home"
    )
    in_space, outside, no_coordinates, online = (an_activity(district) for _ in range(4))
    at = Activity.objects.filter
    at(pk=in_space.pk).update(venue="space", space=space, address="")
    at(pk=outside.pk).update(
        address="民丰村文化礼堂", latitude=Decimal("30.262400"), longitude=Decimal("119.9723")
    )
    at(pk=no_coordinates.pk).update(address="仁和街道某处")
    at(pk=online.pk).update(venue="online", address="", online_url="https://live.example.cn/1")
    client = page_client()

    text = page(client.get(f"/activities/{in_space.public_id}/"))
    assert "Warm Home" in text and 'href="/centers/xianlin/"' in text
    text = page(client.get(f"/activities/{outside.public_id}/"))
    assert "民丰村文化礼堂" in text
    # Amap takes GCJ-02: the stored WGS-84 point is shifted on the way out.
    amap = geo.amap_marker_url(Decimal("30.2624"), Decimal("119.9723"), "民丰村文化礼堂")
    assert "position=119.976914,30.259861" in amap
    assert f'href="{amap}"' in text
    text = page(client.get(f"/activities/{no_coordinates.public_id}/"))
    assert "仁和街道某处" in text and "uri.amap.com" not in text
    text = page(client.get(f"/activities/{online.public_id}/"))
    assert 'href="https://live.example.cn/1"' in text


def test_drafts_and_unknown_activities_are_not_found(district):
    draft = an_activity(district, status="draft")
    assert page_client().get(f"/activities/{draft.public_id}/").status_code == 404
    assert page_client().get("/activities/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_center_page_links_to_its_activities(district):
    an_activity(district, title="闲林的课")
    an_activity(district, title="仓前的课", center=district.cangqian_center)
    text = page(page_client().get("/centers/xianlin/"))
    assert 'href="/activities/?center=xianlin"' in text
    assert card_titles(page(page_client().get("/activities/?center=xianlin"))) == ["闲林的课"]
    assert 'href="/activities/"' in page(page_client().get("/"))  # the header


# Signing up


def test_one_tap_sign_up_gives_a_place(
    district, me, sms_outbox, django_capture_on_commit_callbacks
):
    activity = an_activity(district, title="抚触操")
    with django_capture_on_commit_callbacks(execute=True):
        response = page_client(me).post(f"/activities/{activity.public_id}/sign-up/")
    registration = Registration.objects.get(person=me)
    assert registration.status == Status.CONFIRMED
    assert response.status_code == 302
    assert response["Location"] == f"/activities/registrations/{registration.public_id}/"
    assert said(response) == [f"You have a place. Your check-in code is {registration.short_code}."]
    assert len(sms_outbox) == 1 and registration.short_code in sms_outbox[0][1]


def test_sign_up_when_full_joins_the_waiting_list(district, me):
    activity = an_activity(district, capacity=1)
    sign_up(factories.PersonFactory(), activity)
    response = page_client(me).post(f"/activities/{activity.public_id}/sign-up/")
    registration = Registration.objects.get(person=me)
    assert registration.status == Status.WAITLISTED
    assert said(response) == ["The activity is full: you are number 1 on the waiting list."]
    activity.refresh_from_db()
    assert activity.taken == 1


def test_signing_up_twice_says_so_and_keeps_one(district, me):
    activity = an_activity(district)
    client = page_client(me)
    client.post(f"/activities/{activity.public_id}/sign-up/", follow=True)
    response = client.post(f"/activities/{activity.public_id}/sign-up/")
    assert response["Location"] == f"/activities/{activity.public_id}/"
    assert said(response) == ["You have signed up for this activity already."]
    assert Registration.objects.filter(person=me).count() == 1


def test_sign_up_outside_the_window_is_refused(district, me):
    activity = an_activity(district)
    Activity.objects.filter(pk=activity.pk).update(
        registration_opens=timezone.now() + timedelta(hours=1),
        registration_closes=timezone.now() + timedelta(days=1),
    )
    response = page_client(me).post(f"/activities/{activity.public_id}/sign-up/")
    (message,) = said(response)
    assert message.startswith("Sign-up opens on ")
    assert not Registration.objects.exists()


def test_sign_up_to_a_cancelled_activity_is_refused(district, me):
    activity = an_activity(district, status="cancelled")
    response = page_client(me).post(f"/activities/{activity.public_id}/sign-up/")
    assert said(response) == ["This activity is cancelled."]
    assert not Registration.objects.exists()


def test_sign_up_by_someone_not_eligible_is_refused(district, me):
    activity = an_activity(district, eligible_region=district.cangqian)
    me.home_region = district.minfeng
    me.save()
    response = page_client(me).post(f"/activities/{activity.public_id}/sign-up/")
    assert said(response) == ["This activity is for residents of Cangqian Street."]
    text = page(page_client(me).get(f"/activities/{activity.public_id}/"))
    assert "Only for residents of Cangqian Street." in text
    assert not Registration.objects.exists()
    activity.refresh_from_db()
    assert activity.taken == 0


def test_sign_up_needs_a_signed_in_person_and_a_post(district, me):
    activity = an_activity(district)
    response = page_client().post(f"/activities/{activity.public_id}/sign-up/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")
    assert page_client(me).get(f"/activities/{activity.public_id}/sign-up/").status_code == 405
    assert not Registration.objects.exists()


# Cancelling, and the waiting list moving up


def test_cancelling_frees_the_place_for_the_next_in_line(district, me):
    activity = an_activity(district, capacity=1)
    mine = sign_up(me, activity)
    first, second = (sign_up(factories.PersonFactory(), activity) for _ in range(2))
    response = page_client(me).post(f"/activities/registrations/{mine.public_id}/cancel/")
    assert response["Location"] == f"/activities/registrations/{mine.public_id}/"
    assert said(response) == ["Your sign-up is cancelled. Thank you for freeing the place."]
    for registration in (mine, first, second):
        registration.refresh_from_db()
    assert (mine.status, first.status, second.status) == (
        Status.CANCELLED,
        Status.CONFIRMED,
        Status.WAITLISTED,
    )
    text = page(page_client(me).get(f"/activities/registrations/{mine.public_id}/"))
    assert "Cancelled" in text and "Cancel my sign-up" not in text


def test_cancelling_twice_says_it_is_not_active(district, me):
    mine = sign_up(me, an_activity(district))
    client = page_client(me)
    client.post(f"/activities/registrations/{mine.public_id}/cancel/", follow=True)
    response = client.post(f"/activities/registrations/{mine.public_id}/cancel/")
    assert said(response) == ["This sign-up is not active."]


def test_nobody_cancels_someone_elses_sign_up(district, me):
    theirs = sign_up(factories.PersonFactory(), an_activity(district))
    response = page_client(me).post(f"/activities/registrations/{theirs.public_id}/cancel/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.CONFIRMED


def test_accepting_an_offer_confirms_the_place(district, me):
    activity = an_activity(district, capacity=1, promotion_confirm_hours=2)
    holder = sign_up(factories.PersonFactory(), activity)
    mine = sign_up(me, activity)
    services.registration_cancel(actor=holder.person, registration=holder)
    client = page_client(me)
    text = page(client.get(f"/activities/registrations/{mine.public_id}/"))
    assert f'action="/activities/registrations/{mine.public_id}/accept/"' in text
    assert "<svg" not in text  # no code before the place is taken
    response = client.post(f"/activities/registrations/{mine.public_id}/accept/")
    mine.refresh_from_db()
    assert mine.status == Status.CONFIRMED
    assert said(response) == [f"The place is yours. Your check-in code is {mine.short_code}."]
    assert "<svg" in page(client.get(f"/activities/registrations/{mine.public_id}/"))


def test_an_expired_offer_cannot_be_accepted(district, me):
    activity = an_activity(district, capacity=1, promotion_confirm_hours=2)
    holder = sign_up(factories.PersonFactory(), activity)
    mine = sign_up(me, activity)
    services.registration_cancel(actor=holder.person, registration=holder)
    Registration.objects.filter(pk=mine.pk).update(
        offered_until=timezone.now() - timedelta(minutes=1)
    )
    client = page_client(me)
    assert "/accept/" not in page(client.get(f"/activities/registrations/{mine.public_id}/"))
    response = client.post(f"/activities/registrations/{mine.public_id}/accept/")
    assert said(response) == ["This offer has expired or was answered already."]
    mine.refresh_from_db()
    assert mine.status == Status.OFFERED


# My activities and the personal check-in code


def test_my_activities_lists_my_sign_ups_with_their_status(district, me):
    confirmed = sign_up(me, an_activity(district, title="有位子的"))
    full = an_activity(district, title="满了的", capacity=1)
    sign_up(factories.PersonFactory(), full)
    waiting = sign_up(me, full)
    gone = sign_up(me, an_activity(district, title="取消了的"))
    services.registration_cancel(actor=me, registration=gone)
    sign_up(factories.PersonFactory(), an_activity(district, title="别人的"))

    text = page(page_client(me).get("/activities/mine/"))
    coming, past = text.split("Past and cancelled")
    assert "有位子的" in coming and "满了的" in coming and "取消了的" in past
    assert "别人的" not in text
    assert f'href="/activities/registrations/{confirmed.public_id}/"' in coming
    assert f'href="/activities/registrations/{waiting.public_id}/"' in coming
    assert "On the waiting list" in coming and "Confirmed" in coming
    feed = re.search(r"http://testserver/activities/feed/([^<\s]+)\.ics", text)
    assert codes.person_id_from_feed(html.unescape(feed.group(1))) == str(me.public_id)


def test_my_activities_needs_sign_in():
    response = page_client().get("/activities/mine/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")


def test_the_owner_sees_the_qr_code_and_the_short_code(district, me):
    registration = sign_up(me, an_activity(district, sessions=2))
    text = page(page_client(me).get(f"/activities/registrations/{registration.public_id}/"))
    assert "<svg" in text
    assert f'<span lang="en">{registration.short_code}</span>' in text
    assert re.fullmatch(r"[A-Z2-9]{6}", registration.short_code)
    assert text.count("09:00–11:00") == 2
    assert "Cancel my sign-up" in text


def test_the_check_in_code_leads_staff_to_this_registration(district, me):
    registration = sign_up(me, an_activity(district))
    path = views.staff_check_in_path(codes.personal_token(registration))
    match = resolve(path)
    assert (match.namespace, match.url_name) == ("staff_activities", "scan_token")
    assert codes.registration_from_token(match.kwargs["token"]) == registration


def test_a_sign_up_page_is_only_for_its_owner(district, me):
    registration = sign_up(me, an_activity(district))
    stranger = page_client(factories.PersonFactory())
    response = stranger.get(f"/activities/registrations/{registration.public_id}/")
    assert response.status_code == 404
    assert registration.short_code not in response.content.decode()
    anonymous = page_client().get(f"/activities/registrations/{registration.public_id}/")
    assert anonymous.status_code == 302
    assert page_client(me).get("/activities/registrations/not-a-uuid/").status_code == 404


def test_no_code_while_waiting(district, me):
    activity = an_activity(district, capacity=1)
    sign_up(factories.PersonFactory(), activity)
    registration = sign_up(me, activity)
    text = page(page_client(me).get(f"/activities/registrations/{registration.public_id}/"))
    assert "<svg" not in text and registration.short_code not in text
    assert "You are number 1 on the waiting list." in text


# Checking in at the door


def door(token) -> str:
    return f"/activities/door/{token}/"


class _PastSigner(signing.TimestampSigner):
    """Signs as if it were ten minutes ago, as a photo of an old door code would carry."""

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 600)


def test_scanning_the_door_code_checks_in_once(district, me):
    activity = an_activity(district)
    session = now_session(activity)
    registration = sign_up(me, activity)
    client = page_client(me)

    text = page(client.get(door(codes.door_token(session))))
    assert "You are checked in" in text
    entry = CheckIn.objects.get()
    assert (entry.registration, entry.session, entry.method) == (
        registration,
        session,
        CheckIn.Method.DOOR_QR,
    )
    assert entry.by is None  # the person themself, not staff

    text = page(client.get(door(codes.door_token(session))))
    assert "You are already checked in" in text
    assert CheckIn.objects.count() == 1
    assert "checked in" in page(client.get(f"/activities/registrations/{registration.public_id}/"))


def test_an_expired_or_forged_door_code_saves_nothing(district, me):
    activity = an_activity(district)
    session = now_session(activity)
    sign_up(me, activity)
    client = page_client(me)
    old = _PastSigner(salt=codes.DOOR_SALT).sign(str(session.pk))
    forged = signing.TimestampSigner(salt="not-the-door").sign(str(session.pk))
    tampered = codes.door_token(session).replace(f"{session.pk}:", f"{session.pk + 1}:", 1)
    for token in (old, forged, tampered, "nonsense"):
        response = client.get(door(token))
        assert response.status_code == 400
        assert "This code is not valid" in response.content.decode()
    assert not CheckIn.objects.exists()
    assert "You are checked in" in page(client.get(door(codes.door_token(session))))


def test_the_door_lets_the_unregistered_walk_in_with_one_tap(district, me):
    """Issue 13: someone who did not sign up, at the door of an activity taking walk-ins
    with a place free, registers and checks in in one tap (the walk-in rule)."""
    activity = an_activity(district, walk_ins=True, capacity=2)
    session = now_session(activity)
    client = page_client(me)
    text = page(client.get(door(codes.door_token(session))))
    assert "You have not signed up for this activity." in text
    action = re.search(r'action="(/activities/door/[^"]+/walk-in/)"', text).group(1)
    assert "Register at the door and check in" in text
    assert not Registration.objects.exists()

    text = page(client.post(action))
    assert "You are checked in" in text
    registration = Registration.objects.get()
    assert (registration.person, registration.is_walk_in, registration.status) == (
        me,
        True,
        Registration.Status.CONFIRMED,
    )
    entry = CheckIn.objects.get()
    assert (entry.method, entry.by) == (CheckIn.Method.WALK_IN, None)
    activity.refresh_from_db()
    assert activity.taken == 1
    # Tapped twice (a slow phone): still one sign-up and one check-in.
    assert "You are already checked in" in page(client.post(action))
    assert (Registration.objects.count(), CheckIn.objects.count()) == (1, 1)


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"walk_ins": False}, "only people who signed up can come in"),
        ({"walk_ins": True, "capacity": 1}, "No place is left: the activity is full."),
    ],
)
def test_the_door_says_plainly_why_nobody_can_walk_in(district, me, fields, said):
    activity = an_activity(district, **fields)
    session = now_session(activity)
    if fields.get("capacity") == 1:
        sign_up(factories.PersonFactory(), activity)
    client = page_client(me)
    text = page(client.get(door(codes.door_token(session))))
    assert said in text
    assert "Register at the door and check in" not in text
    # Posting anyway changes nothing: the service holds the rule.
    response = client.post(f"/activities/door/{codes.door_token(session)}/walk-in/")
    assert response.status_code == 400
    assert not Registration.objects.filter(person=me).exists()
    assert not CheckIn.objects.exists()


def test_a_forged_door_code_registers_nobody(district, me):
    activity = an_activity(district, walk_ins=True)
    now_session(activity)
    response = page_client(me).post("/activities/door/nonsense/walk-in/")
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_the_door_does_not_check_in_the_waiting_list(district, me):
    activity = an_activity(district, capacity=1)
    session = now_session(activity)
    sign_up(factories.PersonFactory(), activity)
    sign_up(me, activity)
    text = page(page_client(me).get(door(codes.door_token(session))))
    assert "You have no confirmed place (On the waiting list)." in text
    assert not CheckIn.objects.exists()


def test_the_door_code_works_only_around_the_session(district, me):
    activity = an_activity(district)  # its session is in three days
    sign_up(me, activity)
    text = page(page_client(me).get(door(codes.door_token(activity.sessions.get()))))
    assert "Check-in is open from 30 minutes before the session until it ends." in text
    assert not CheckIn.objects.exists()


def test_scanning_before_signing_in_checks_in_after_signing_in(district, me):
    activity = an_activity(district)
    session = now_session(activity)
    sign_up(me, activity)
    client = page_client()
    response = client.get(door(codes.door_token(session)))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/?next=%2Factivities%2Fdoor%2F"
    assert not CheckIn.objects.exists()
    client.force_login(me)
    assert "You are checked in" in page(client.get("/activities/door/"))
    assert CheckIn.objects.get().session == session
    # The scan is used once: coming back to the page checks nothing more in.
    assert client.get("/activities/door/").status_code == 400


def test_the_door_after_sign_in_needs_a_recent_scan(district, me):
    activity = an_activity(district)
    session = now_session(activity)
    sign_up(me, activity)
    client = page_client(me)
    assert client.get("/activities/door/").status_code == 400
    stash = client.session
    stash["activities.door_scan"] = {
        "session": session.pk,
        "at": int(time.time()) - views.DOOR_SIGN_IN_SECONDS - 60,
    }
    stash.save()
    assert client.get("/activities/door/").status_code == 400
    assert not CheckIn.objects.exists()


def test_shanghai_times_on_the_pages(district):
    """A session stored in UTC is shown in Shanghai time."""
    activity = an_activity(district)
    start = datetime(2031, 3, 3, 1, 30, tzinfo=UTC)
    activity.sessions.update(start=start, end=start + timedelta(hours=1))
    text = re.sub(r"<[^>]+>", "", page(page_client().get(f"/activities/{activity.public_id}/")))
    assert "2031-03-03 Mon 09:30–10:30" in text
