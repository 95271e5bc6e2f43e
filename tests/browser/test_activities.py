"""An activity in a real browser: a resident signs in with an SMS code, signs up with one
press and sees their place and short code; a member of staff signs in with a password, opens
the check-in desk of the session and types the code; the person is checked in once."""

import re
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from dangqun.activities.models import CheckIn
from dangqun.people.models import StaffRole
from tests import factories

pytestmark = pytest.mark.browser

MOBILE = "13912345601"
STAFF_MOBILE = "13800008888"
STAFF_PASSWORD = "desk-Pa55word-2025"


@pytest.fixture
def class_on_now(browser_db):
    """Xianlin's class with one session that began ten minutes ago (check-in is open),
    sign-up open; a resident with a name; the center's desk staff with a password."""
    tree = factories.district_tree()
    activity = factories.activity(tree.xianlin_center, capacity=5, title="婴儿抚触操培训")
    session = activity.sessions.get()
    session.start = timezone.now() - timedelta(minutes=10)
    session.end = timezone.now() + timedelta(hours=2)
    session.save()
    factories.PersonFactory(name="王小明", mobile=MOBILE)
    desk = factories.staff(
        StaffRole.Role.CENTER_STAFF,
        tree.xianlin,
        tree.xianlin_center,
        name="前台小李",
        mobile=STAFF_MOBILE,
    )
    desk.set_password(STAFF_PASSWORD)
    desk.save()
    return activity, session


def test_sign_up_then_check_in_at_the_desk(class_on_now, new_context, sms_codes):
    activity, session = class_on_now
    detail = f"/activities/{activity.public_id}/"

    # The resident opens the activity, signs in with the code sent by SMS, and comes back.
    resident = new_context(locale="en-US").new_page()
    resident.goto(detail)
    expect(resident.get_by_role("heading", level=1)).to_have_text("婴儿抚触操培训")
    resident.get_by_role("link", name="Sign in to sign up").click()
    resident.get_by_label("Mobile number").fill(MOBILE)
    resident.get_by_role("button", name="Send code").click()
    resident.get_by_label("Code from the SMS").fill(sms_codes(MOBILE))
    resident.get_by_role("button", name="Sign in").click()
    expect(resident).to_have_url(re.compile(re.escape(detail) + "$"))

    # One press: a place, and the page of the sign-up with its code.
    resident.get_by_role("button", name="Sign up", exact=True).click()
    expect(resident).to_have_url(re.compile(r"/activities/registrations/[0-9a-f-]{36}/$"))
    expect(resident.locator(".badge.confirmed").first).to_have_text("Confirmed")
    expect(resident.get_by_role("heading", name="Your check-in code")).to_be_visible()
    short_code = resident.locator(".short-code").inner_text().strip()
    assert len(short_code) == 6 and short_code.isalnum() and short_code.isupper()
    expect(resident.get_by_text(f"Your check-in code is {short_code}")).to_be_visible()
    expect(resident.get_by_role("img", name="QR code to check in")).to_be_visible()

    # The desk: another browser, signed in with a password.
    staff = new_context(locale="en-US").new_page()
    staff.goto("/accounts/sign-in/password/")
    staff.get_by_label("Mobile number").fill(STAFF_MOBILE)
    staff.get_by_label("Password").fill(STAFF_PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    expect(staff.get_by_role("button", name="Sign out")).to_be_visible()
    staff.goto(f"/staff/activities/{activity.public_id}/check-in/?session={session.pk}")
    expect(staff.get_by_role("heading", name="Check-in desk")).to_be_visible()
    staff.get_by_label("Short code").fill(short_code.lower())
    staff.get_by_role("button", name="Check in", exact=True).click()
    result = staff.locator(".desk-result")
    expect(result).to_have_class(re.compile(r"\bok\b"))
    expect(result).to_contain_text("checked in")
    expect(result).to_contain_text("王**")
    expect(result).to_contain_text(short_code)
    expect(staff.locator(".desk-count")).to_have_text("1 of 1 checked in")

    # Typed again by mistake: told so, and still one check-in.
    staff.get_by_label("Short code").fill(short_code)
    staff.get_by_role("button", name="Check in", exact=True).click()
    expect(staff.locator(".desk-result")).to_contain_text("already checked in")

    # The resident's page shows the session as checked in.
    resident.reload()
    expect(resident.get_by_text("checked in")).to_be_visible()

    # Exactly one check-in, of this person, typed at the desk. (While Playwright runs, this
    # thread reads through a connection of its own; it is closed again so that the test
    # database can be dropped at the end.)
    try:
        entries = list(CheckIn.objects.select_related("registration__person", "by"))
    finally:
        connections.close_all()
    assert len(entries) == 1
    entry = entries[0]
    assert entry.registration.person.mobile == MOBILE
    assert entry.registration.short_code == short_code
    assert (entry.session_id, entry.method, entry.by.mobile) == (
        session.pk,
        "short_code",
        STAFF_MOBILE,
    )
