"""The shell's pages over HTTP: home, health check, language and text-size choices, 404."""

import pytest
from django.conf import settings

from tests import factories
from tests.clients import page_client

pytestmark = pytest.mark.django_db

LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME


def test_home_lists_the_centers_by_their_chinese_names(client, district):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="zh-Hans"' in page
    assert "闲林街道党群服务中心" in page
    assert "新就业群体党群服务中心" in page
    assert 'href="/centers/xianlin/"' in page
    assert 'href="/centers/cangqian/"' in page


def test_home_in_english_shows_english_names(client, district):
    client.cookies[LANGUAGE_COOKIE] = "en"
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    assert "Xianlin Center" in page
    assert "All centers" in page


def test_home_offers_only_the_kinds_of_space_some_center_has(client, district):
    from dangqun.places.models import SpaceKind

    canteen = SpaceKind.objects.get(code="elderly_canteen")
    factories.SpaceFactory(center=district.xianlin_center, kind=canteen)
    page = client.get("/").content.decode()
    assert 'href="/centers/?kind=elderly_canteen"' in page
    assert 'href="/centers/?kind=childcare"' not in page
    assert "places/near.js" in page  # "centers near me", for browsers that can tell


def test_home_without_spaces_has_no_empty_kinds_section(client, district):
    client.cookies[LANGUAGE_COOKIE] = "en"
    assert "Spaces you can use" not in client.get("/").content.decode()


def test_health_check_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"


def test_choosing_a_language_sets_the_cookie_and_goes_back(client):
    response = client.post("/i18n/language/", {"language": "en", "next": "/centers/"})
    assert response.status_code == 302
    assert response["Location"] == "/centers/"
    assert response.cookies[LANGUAGE_COOKIE].value == "en"
    # The client keeps the cookie: the next page is in English.
    page = client.get("/centers/").content.decode()
    assert 'lang="en"' in page
    assert "Service centers" in page


def test_back_to_chinese(client):
    client.cookies[LANGUAGE_COOKIE] = "en"
    response = client.post("/i18n/language/", {"language": "zh-hans", "next": "/"})
    assert response.cookies[LANGUAGE_COOKIE].value == "zh-hans"
    assert 'lang="zh-Hans"' in client.get("/").content.decode()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/centers/", "http://evil.example"]
)
def test_an_off_site_next_goes_home_instead(client, target):
    response = client.post("/i18n/language/", {"language": "en", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_an_off_site_referer_goes_home_instead(client):
    response = client.post(
        "/i18n/language/", {"language": "en"}, HTTP_REFERER="https://evil.example/x"
    )
    assert response["Location"] == "/"


def test_a_signed_in_person_keeps_the_language_on_the_account(client, person):
    client.force_login(person)
    response = client.post("/i18n/language/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.language == "en"


def test_the_account_language_follows_the_person_to_a_new_device(client):
    person = factories.PersonFactory(language="en")
    client.force_login(person)  # no language cookie on this device
    assert 'lang="en"' in client.get("/").content.decode()


@pytest.mark.parametrize("code", ["xx", "", "de", "zh-hans<script>"])
def test_an_unknown_language_is_ignored(client, code):
    person = factories.PersonFactory(language="zh-hans")
    client.force_login(person)
    response = client.post("/i18n/language/", {"language": code, "next": "/centers/"})
    assert response.status_code == 302
    assert response["Location"] == "/centers/"
    assert LANGUAGE_COOKIE not in response.cookies
    person.refresh_from_db()
    assert person.language == "zh-hans"


def test_large_text_sets_a_cookie_and_the_next_page_uses_it(client):
    before = client.get("/").content.decode()
    assert 'class="text-large"' not in before
    response = client.post("/prefs/text-size/", {"size": "large", "next": "/centers/"})
    assert response.status_code == 302
    assert response["Location"] == "/centers/"
    assert response.cookies["dq_text"].value == "large"
    page = client.get("/centers/").content.decode()
    assert 'class="text-large"' in page


def test_normal_text_switches_large_text_off(client):
    client.cookies["dq_text"] = "large"
    assert 'class="text-large"' in client.get("/").content.decode()
    response = client.post("/prefs/text-size/", {"size": "normal", "next": "/"})
    assert response.cookies["dq_text"].value == "normal"
    assert 'class="text-large"' not in client.get("/").content.decode()


def test_an_unknown_text_size_means_normal(client):
    response = client.post("/prefs/text-size/", {"size": "huge", "next": "/"})
    assert response.cookies["dq_text"].value == "normal"


@pytest.mark.parametrize("url", ["/i18n/language/", "/prefs/text-size/", "/accounts/sign-out/"])
def test_post_only_views_refuse_get(client, url):
    assert client.get(url).status_code == 405


def test_an_unknown_address_is_a_404_page(client):
    client.cookies[LANGUAGE_COOKIE] = "en"
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<html" in page
    assert "Page not found" in page
    assert 'href="/"' in page


def test_the_404_page_in_chinese_uses_the_base_layout(client):
    response = client.get("/centers/no-such-center/")
    assert response.status_code == 404
    assert 'lang="zh-Hans"' in response.content.decode()


# --- the back office's home ------------------------------------------------------------


def test_street_admin_opens_the_back_office(district):
    admin = factories.staff("street_admin", district.xianlin, name="闲林管理员")
    response = page_client(admin).get("/staff/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Street admin · Xianlin Street" in page
    assert 'href="/staff/centers/xianlin/"' in page
    assert 'href="/staff/centers/cangqian/"' not in page
    assert 'href="/staff/people/"' in page
    assert 'href="/staff/roles/"' in page


def test_a_resident_does_not_find_the_back_office(person):
    client = page_client(person)
    for url in ("/staff/", "/staff/people/", "/staff/roles/", "/staff/space-kinds/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("url", ["/staff/", "/staff/people/", "/staff/centers/xianlin/"])
def test_anonymous_is_sent_to_sign_in(client, district, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/sign-in/?next={url}"


# --- what waits for this person (issue 13, point 13) -------------------------------------


@pytest.fixture
def work(district, settings, tmp_path):
    """Waiting work in both streets: a pending booking, a new and an overdue request, an
    open follow-up and an open charging fault at Xianlin; the same again at Cangqian."""
    from datetime import timedelta

    from django.utils import timezone

    from dangqun.bookings.models import Booking
    from dangqun.charging.models import FaultReport, Slot
    from dangqun.intake import services as intake
    from dangqun.intake.models import FollowUp, ServiceRequest
    from tests.charging.helpers import room_with_cabinet

    settings.VAR_DIR = tmp_path
    resident = factories.PersonFactory(name="王小明")
    soon = timezone.now() + timedelta(days=2)
    for n, center in enumerate([district.xianlin_center, district.cangqian_center]):
        space = factories.SpaceFactory(center=center, is_bookable=True)
        Booking.objects.create(
            space=space,
            booker=resident,
            created_by=resident,
            start=soon,
            end=soon + timedelta(hours=1),
            purpose="开会",
            headcount=5,
            status=Booking.Status.PENDING,
        )
        # A pending booking in the past waits for nobody.
        Booking.objects.create(
            space=space,
            booker=resident,
            created_by=resident,
            start=soon - timedelta(days=5),
            end=soon - timedelta(days=5) + timedelta(hours=1),
            purpose="开会",
            headcount=5,
            status=Booking.Status.PENDING,
        )
        item = factories.service_item(center, code=f"item-{n}", time_limit_days=5)
        new, late, rated = (
            intake.request_submit(
                actor=resident,
                person=resident,
                item=item,
                channel="online",
                values={},
                description="",
            )
            for _ in range(3)
        )
        ServiceRequest.objects.filter(pk=late.pk).update(
            status="accepted", due_date=timezone.localdate() - timedelta(days=1)
        )
        ServiceRequest.objects.filter(pk=rated.pk).update(status="resolved")
        FollowUp.objects.create(request=rated, center=center)
        _room, cabinet, _secret = room_with_cabinet(center.region, code=f"cab-{n}")
        FaultReport.objects.create(slot=Slot.objects.filter(cabinet=cabinet).first(), text="坏了")
    return district


def _waiting(page: str) -> dict[str, str]:
    import re

    section = page.split('id="waiting"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'<a href="([^"]+)"><strong class="count">(\d+)</strong>', section)
    return dict(rows)


def test_the_back_office_home_counts_what_waits_in_my_street(work):
    admin = factories.staff("street_admin", work.xianlin, name="闲林管理员")
    page = page_client(admin).get("/staff/").content.decode()
    assert _waiting(page) == {
        "/staff/bookings/?status=pending": "1",
        "/staff/intake/?status=submitted": "1",
        "/staff/intake/due/": "1",
        "/staff/intake/follow-ups/": "1",
        "/staff/charging/faults/": "1",
    }
    assert "bookings to approve" in page and "charging faults reported" in page


def test_the_district_admin_counts_both_streets(work):
    admin = factories.staff("district_admin", work.district, name="区管理员")
    waiting = _waiting(page_client(admin).get("/staff/").content.decode())
    assert waiting["/staff/bookings/?status=pending"] == "2"
    assert waiting["/staff/intake/follow-ups/"] == "2"
    assert waiting["/staff/charging/faults/"] == "2"


def test_center_staff_see_their_work_and_no_district_tools(work):
    staff = factories.staff(
        "center_staff", work.cangqian, center=work.cangqian_center, name="仓前工作人员"
    )
    page = page_client(staff).get("/staff/").content.decode()
    assert _waiting(page)["/staff/bookings/?status=pending"] == "1"
    for own in ("/staff/bookings/", "/staff/activities/", "/staff/intake/counter/"):
        assert f'href="{own}"' in page, own
    for district_tool in (
        "/staff/roles/",
        "/staff/regions/",
        "/staff/workdays/",
        "/staff/space-kinds/",
        "/staff/riders/coverage/",
        "/staff/centers/new/",
    ):
        assert f'href="{district_tool}"' not in page, district_tool


def test_partner_staff_have_nothing_waiting_and_no_tools(district):
    partner = factories.staff("partner_staff", district.xianlin, name="合作方")
    page = page_client(partner).get("/staff/").content.decode()
    assert 'id="waiting"' not in page
    assert 'href="/staff/bookings/"' not in page


def test_every_header_cell_of_the_back_office_home_has_text(work):
    import re

    for role in ("street_admin", "partner_staff"):
        person = factories.staff(role, work.xianlin)
        page = page_client(person).get("/staff/").content.decode()
        headers = re.findall(r"<th[^>]*>(.*?)</th>", page, re.DOTALL)
        assert headers and all(re.sub(r"<[^>]+>", "", h).strip() for h in headers), headers


def test_the_back_office_home_queries_do_not_grow_with_the_work(work):
    from tests.clients import count_queries

    admin = factories.staff("district_admin", work.district, name="区管理员")
    client = page_client(admin)
    client.get("/staff/")
    first, _response = count_queries(lambda: client.get("/staff/"))
    factories.CenterFactory(region=work.minfeng)
    second, _response = count_queries(lambda: client.get("/staff/"))
    assert second == first
