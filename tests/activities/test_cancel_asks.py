"""Cancelling one's own sign-up asks first, on a page (no script dialog): the buttons of the
sign-up's page and of the activity's page open it (GET, which changes nothing), and its
POST button cancels. One tap alone never loses the place."""

import html
import re

import pytest

from dangqun.activities import services
from dangqun.activities.models import Registration
from tests import factories
from tests.clients import page_client

pytestmark = pytest.mark.django_db

Status = Registration.Status


@pytest.fixture
def me(db):
    return factories.PersonFactory(name="王小明")


@pytest.fixture
def activity(district):
    return factories.activity(district.xianlin_center, title="书法体验课")


@pytest.fixture
def mine(me, activity):
    return services.registration_create(actor=me, activity=activity)


def cancel_url(registration) -> str:
    return f"/activities/registrations/{registration.public_id}/cancel/"


def form_to(text: str, action: str) -> str:
    """The method of the form that goes to `action` ('' if there is none)."""
    found = re.search(rf'<form method="(\w+)" action="{re.escape(action)}"', text)
    return found.group(1) if found else ""


def test_the_buttons_open_the_question_and_change_nothing(me, activity, mine):
    client = page_client(me)
    for where in (
        f"/activities/registrations/{mine.public_id}/",
        f"/activities/{activity.public_id}/",
    ):
        assert form_to(client.get(where).content.decode(), cancel_url(mine)) == "get"
    asked = client.get(cancel_url(mine))
    assert asked.status_code == 200
    text = html.unescape(asked.content.decode())
    assert "Cancel your sign-up?" in text
    assert "书法体验课" in text
    assert re.search(r'<form method="post" class="card">', text)
    assert "Yes, cancel my sign-up" in text
    assert f'href="/activities/registrations/{mine.public_id}/"' in text  # keep it
    mine.refresh_from_db()
    assert mine.status == Status.CONFIRMED


def test_the_post_button_cancels(me, mine):
    response = page_client(me).post(cancel_url(mine))
    assert response["Location"] == f"/activities/registrations/{mine.public_id}/"
    mine.refresh_from_db()
    assert mine.status == Status.CANCELLED
    # Nothing left to cancel: the question is not asked again.
    again = page_client(me).get(cancel_url(mine))
    assert again["Location"] == f"/activities/registrations/{mine.public_id}/"


def test_from_the_activity_page_the_question_leads_back_there(me, activity, mine):
    client = page_client(me)
    text = client.get(cancel_url(mine), {"back": "activity"}).content.decode()
    assert '<input type="hidden" name="back" value="activity">' in text
    assert f'href="/activities/{activity.public_id}/"' in text
    response = client.post(cancel_url(mine), {"back": "activity"})
    assert response["Location"] == f"/activities/{activity.public_id}/"


def test_an_offered_place_is_declined_after_asking(me, district):
    activity = factories.activity(district.xianlin_center, capacity=1, promotion_confirm_hours=2)
    holder = services.registration_create(actor=factories.PersonFactory(), activity=activity)
    mine = services.registration_create(actor=me, activity=activity)
    services.registration_cancel(actor=holder.person, registration=holder)
    mine.refresh_from_db()
    assert mine.status == Status.OFFERED
    text = page_client(me).get(cancel_url(mine)).content.decode()
    assert "Decline the place?" in text and "Yes, decline the place" in text


def test_in_chinese(me, mine):
    text = page_client(me, language="zh-hans").get(cancel_url(mine)).content.decode()
    assert "取消报名吗？" in text
    assert "确定取消报名" in text


def test_someone_else_s_sign_up_is_not_found(me, activity):
    theirs = services.registration_create(actor=factories.PersonFactory(), activity=activity)
    assert page_client(me).get(cancel_url(theirs)).status_code == 404
    assert page_client(me).post(cancel_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.CONFIRMED
