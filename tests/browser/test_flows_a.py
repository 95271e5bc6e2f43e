"""Flows that lost people (issue 13), in a real browser at 390 px, in Chinese and English:
a new person signs in from an activity and, after the first profile step, is back at the
activity; staff land on the back office and see what waits for them; "centers near me"
sorts by the browser's position; staff verify a declared group and the person can then
sign up for an activity for verified members only."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from dangqun.people.models import PersonTag, StaffRole
from tests import factories

pytestmark = pytest.mark.browser

NEW_MOBILE = "13955550001"
STAFF_MOBILE = "13955550002"
STAFF_PASSWORD = "xianlin-desk-2026"
MEMBER_MOBILE = "13955550003"
SHOTS = Path("/tmp/shots-a")
LOCALES = {"en-US": "en", "zh-CN": "zh-hans"}


def words(locale: str):
    """The page's words in the browser's language, from the same catalogue the site uses."""
    language = LOCALES[locale]

    def say(msgid: str, context: str | None = None) -> str:
        with translation.override(language):
            return translation.pgettext(context, msgid) if context else gettext(msgid)

    return say


def sign_in_to_sign_up(page, say, sms_codes, mobile: str, *, new_account=False) -> None:
    """From an activity's page: its sign-in link, a code by SMS, and (new) the consent."""
    page.get_by_role("link", name=say("Sign in to sign up")).click()
    page.get_by_label(say("Mobile number")).fill(mobile)
    page.get_by_role("button", name=say("Send code")).click()
    page.get_by_label(say("Code from the SMS")).fill(sms_codes(mobile))
    if new_account:
        page.locator("#id_consent").check()
    page.get_by_role("button", name=say("Sign in"), exact=True).click()


def phone(new_context, locale: str):
    return new_context(locale=locale, width=390, height=844).new_page()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, name


@pytest.fixture
def world(browser_db):
    tree = factories.district_tree()
    activity = factories.activity(tree.xianlin_center, capacity=5, title="婴儿抚触操培训")
    verified_only = factories.activity(
        tree.xianlin_center,
        capacity=5,
        title="党员学习会",
        eligible_tags=[PersonTag.Tag.PARTY_MEMBER],
        requires_verified_tag=True,
    )
    staff = factories.staff(
        StaffRole.Role.STREET_ADMIN, tree.xianlin, name="闲林管理员", mobile=STAFF_MOBILE
    )
    staff.set_password(STAFF_PASSWORD)
    staff.save()
    member = factories.PersonFactory(name="王党员", mobile=MEMBER_MOBILE, home_region=tree.minfeng)
    factories.tag(member, PersonTag.Tag.PARTY_MEMBER, home_branch="民丰村党支部")
    # Three centers at known places: Renhe far to the north-east.
    for center, lat, lng in (
        (tree.xianlin_center, "30.262400", "119.972300"),
        (tree.cangqian_center, "30.293500", "119.989800"),
    ):
        center.latitude, center.longitude = Decimal(lat), Decimal(lng)
        center.save()
    factories.CenterFactory(
        region=tree.cangqian,
        slug="renhe",
        name="仁和街道党群服务中心",
        name_en="Renhe Center",
        latitude=Decimal("30.433600"),
        longitude=Decimal("120.105200"),
    )
    return tree, activity, verified_only, member


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_a_new_person_comes_back_to_the_activity_after_the_profile_step(
    world, new_context, sms_codes, locale
):
    _tree, activity, _verified_only, _member = world
    say = words(locale)
    detail = f"/activities/{activity.public_id}/"
    page = phone(new_context, locale)
    page.goto(detail)
    sign_in_to_sign_up(page, say, sms_codes, NEW_MOBILE, new_account=True)

    # The first profile step says why it asks, and keeps where the person was going.
    expect(page.get_by_role("heading", level=1)).to_have_text(say("Welcome! One more step"))
    expect(page.locator("#why-we-ask")).to_contain_text(
        say(
            "Before you go on, tell us your name: the center uses it to confirm your "
            "bookings and sign-ups and to greet you at the door."
        )
    )
    shot(page, f"profile-step-{locale}")
    page.get_by_role("button", name=say("Large text")).click()
    expect(page.locator("html")).to_have_class(re.compile("text-large"))
    shot(page, f"profile-step-large-{locale}")
    page.get_by_label(say("Name", "person")).fill("林小新")
    page.get_by_role("button", name=say("Save and continue")).click()

    # Back at the activity, signed in, one press from a place.
    expect(page).to_have_url(re.compile(re.escape(detail) + "$"))
    page.get_by_role("button", name=say("Sign up"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/activities/registrations/[0-9a-f-]{36}/$"))
    expect(page.locator(".badge.confirmed").first).to_be_visible()


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_staff_land_on_the_back_office_and_see_what_waits(world, new_context, locale):
    say = words(locale)
    page = phone(new_context, locale)
    page.goto("/")
    page.get_by_role("link", name=say("Me"), exact=True).click()  # the phone's tab bar
    page.get_by_role("link", name=say("Sign in"), exact=True).click()
    page.get_by_role("link", name=say("Staff: sign in with a password")).click()
    page.get_by_label(say("Mobile number")).fill(STAFF_MOBILE)
    page.get_by_label(say("Password")).fill(STAFF_PASSWORD)
    page.get_by_role("button", name=say("Sign in"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/staff/$"))
    waiting = page.locator("#waiting")
    expect(waiting.get_by_role("heading")).to_have_text(say("Waiting for you"))
    expect(waiting.locator("li")).to_have_count(5)
    expect(waiting.get_by_role("link", name=re.compile(say("bookings to approve")))).to_be_visible()
    for header in page.locator("th").all():
        assert header.inner_text().strip(), "a header cell without text"
    shot(page, f"staff-home-{locale}")
    # Large text for elder eyes: still nothing sticks out sideways.
    page.get_by_role("button", name=say("Large text")).click()
    expect(page.locator("html")).to_have_class(re.compile("text-large"))
    shot(page, f"staff-home-large-{locale}")


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_centers_near_me_come_nearest_first(world, new_context, live_server, locale):
    say = words(locale)
    context = new_context(locale=locale, width=390, height=844)
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.set_geolocation({"latitude": 30.4330, "longitude": 120.1050})
    page = context.new_page()
    page.goto("/")
    expect(page.get_by_role("button", name=say("Centers near me"))).to_be_visible()
    shot(page, f"home-{locale}")
    page.get_by_role("button", name=say("Centers near me")).click()
    expect(page).to_have_url(re.compile(r"/centers/\?lat=30\.433000&lng=120\.105000$"))
    titles = page.locator(".card-title")
    expect(titles.first).to_have_text(
        "仁和街道党群服务中心" if locale == "zh-CN" else "Renhe Center"
    )
    expect(titles).to_have_count(3)
    expect(page.locator("#near-note")).to_contain_text(say("Nearest first, from your position."))
    expect(page.locator(".distance").first).to_contain_text(re.compile(r"\d"))
    shot(page, f"centers-near-{locale}")

    # Filtering keeps the order by distance (the position stays in the form).
    page.wait_for_function("() => window.htmx !== undefined")  # the filters' script is on
    with page.expect_response(lambda r: "street=" in r.url and "lat=30.433000" in r.url) as _answer:
        page.get_by_label(say("Street")).select_option(
            label="仓前街道" if locale == "zh-CN" else "Cangqian Street"
        )
    expect(titles).to_have_count(2)
    expect(titles.first).to_have_text(
        "仁和街道党群服务中心" if locale == "zh-CN" else "Renhe Center"
    )

    # Large text for elder eyes.
    page.get_by_role("button", name=say("Large text")).click()
    expect(page.locator("html")).to_have_class(re.compile("text-large"))
    shot(page, f"centers-near-large-{locale}")


def test_without_a_position_the_button_says_so_and_the_list_stays(world, new_context):
    say = words("en-US")
    context = new_context(locale="en-US", width=390, height=844)  # no permission granted
    page = context.new_page()
    page.goto("/centers/")
    page.get_by_role("button", name=say("Use my position")).click()
    expect(page.locator("[data-locate-note]")).to_have_text(
        say("Your position is not available. Allow the browser to use it, or choose a street.")
    )
    expect(page.locator(".card-title")).to_have_count(3)


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_staff_verify_a_group_and_the_member_signs_up(world, new_context, sms_codes, locale):
    _tree, _activity, verified_only, member = world
    say = words(locale)
    detail = f"/activities/{verified_only.public_id}/"

    # The member declared the group; the activity wants it verified.
    resident = phone(new_context, locale)
    resident.goto(detail)
    sign_in_to_sign_up(resident, say, sms_codes, MEMBER_MOBILE)
    expect(resident).to_have_url(re.compile(re.escape(detail) + "$"))
    expect(resident.get_by_role("button", name=say("Sign up"), exact=True)).to_have_count(0)
    shot(resident, f"verified-only-refused-{locale}")

    # Staff of the member's street verify the group on the person's page.
    staff = phone(new_context, locale)
    staff.goto("/accounts/sign-in/password/")
    staff.get_by_label(say("Mobile number")).fill(STAFF_MOBILE)
    staff.get_by_label(say("Password")).fill(STAFF_PASSWORD)
    staff.get_by_role("button", name=say("Sign in"), exact=True).click()
    staff.goto(f"/staff/people/{member.public_id}/")
    group = staff.locator("#group-party_member")
    expect(group.locator(".badge.declared")).to_have_text(say("self-declared"))
    shot(staff, f"person-declared-{locale}")
    group.get_by_role("button", name=say("Mark verified")).click()
    expect(staff.locator("#group-party_member .badge.verified")).to_have_text(say("verified"))
    expect(staff.locator("#group-party_member")).to_contain_text("闲林管理员")
    shot(staff, f"person-verified-{locale}")

    # Now the member can sign up.
    resident.reload()
    resident.get_by_role("button", name=say("Sign up"), exact=True).click()
    expect(resident).to_have_url(re.compile(r"/activities/registrations/[0-9a-f-]{36}/$"))
