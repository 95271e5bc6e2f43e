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
