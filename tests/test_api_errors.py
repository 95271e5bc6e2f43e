"""API errors: always {"code", "message", "field"}, and the message in the user's language
(zh-hans by default, English on request)."""

import re

import pytest
from django.conf import settings
from django.test import Client

from dangqun.accounts.services import api_token_create
from tests import factories

pytestmark = pytest.mark.django_db

API = "/api/v1"
CJK = re.compile(r"[\u4e00-\u9fff]")


def bad_mobile(client, **headers):
    return client.post(
        f"{API}/auth/code", {"mobile": "12345"}, content_type="application/json", **headers
    )


def bad_region_id(client, **headers):
    return client.get(f"{API}/regions/abc", **headers)


def missing_region(client, **headers):
    return client.get(f"{API}/regions/987654321", **headers)


def unauthenticated(client, **headers):
    return client.get(f"{API}/me", **headers)


def unreadable_body(client, **headers):
    return client.post(f"{API}/auth/code", "{not json", content_type="application/json", **headers)


# (request, status, field, the English message)
CASES = [
    (
        bad_mobile,
        400,
        "mobile",
        "Enter a mainland mobile number of 11 digits, starting with 13 to 19.",
    ),
    (bad_region_id, 422, "region_id", "Enter a whole number."),
    (missing_region, 404, None, "Not found."),
    (unauthenticated, 401, None, "Please sign in first."),
    (unreadable_body, 400, None, "The request could not be carried out."),
]
CASE_IDS = [case[0].__name__ for case in CASES]


def assert_chinese(message: str, english: str) -> None:
    assert message != english
    assert CJK.search(message), message


@pytest.mark.parametrize(("make", "status", "field", "english"), CASES, ids=CASE_IDS)
def test_error_has_the_error_shape(client, make, status, field, english):
    response = make(client, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) - {"errors"} == {"code", "message", "field"}
    assert isinstance(body["code"], str) and body["code"]
    assert body["field"] == field


@pytest.mark.parametrize(("make", "status", "field", "english"), CASES, ids=CASE_IDS)
def test_error_message_in_english_on_request(client, make, status, field, english):
    response = make(client, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status
    assert response.json()["message"] == english


@pytest.mark.parametrize(("make", "status", "field", "english"), CASES, ids=CASE_IDS)
def test_error_message_in_chinese_on_request(client, make, status, field, english):
    response = make(client, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == status
    assert_chinese(response.json()["message"], english)


@pytest.mark.parametrize(("make", "status", "field", "english"), CASES, ids=CASE_IDS)
def test_error_message_in_chinese_by_default(client, make, status, field, english):
    assert settings.LANGUAGE_CODE == "zh-hans"
    response = make(client)
    assert response.status_code == status
    assert_chinese(response.json()["message"], english)


def test_chinese_from_a_browser_that_says_zh_cn(client):
    response = bad_mobile(client, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.8")
    assert_chinese(response.json()["message"], CASES[0][3])


def test_the_language_cookie_wins_over_the_header(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = bad_mobile(client, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.json()["message"] == CASES[0][3]


def test_validation_error_lists_every_item_in_the_language(client):
    response = client.get(f"{API}/regions", {"parent_id": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    body = response.json()
    assert [e["message"] for e in body["errors"]] == ["Enter a whole number."]

    response = client.get(f"{API}/regions", {"parent_id": "x"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert_chinese(response.json()["errors"][0]["message"], "Enter a whole number.")


def test_missing_field_message_in_both_languages(client):
    english = client.post(
        f"{API}/auth/token",
        {"mobile": "13900001111"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.status_code == 422
    assert english.json()["field"] == "code"
    assert english.json()["message"] == "This field is required."

    chinese = client.post(
        f"{API}/auth/token",
        {"mobile": "13900001111"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert_chinese(chinese.json()["message"], "This field is required.")


def test_signed_in_persons_chosen_language_is_used(district):
    person = factories.PersonFactory(language="en")
    browser = Client()
    browser.force_login(person, backend="dangqun.accounts.backends.PersonBackend")
    response = browser.patch(
        f"{API}/me",
        {"name": "Wang", "resident_id": "123"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "resident_id"
    assert (
        response.json()["message"]
        == "A resident ID number has 18 characters: 17 digits and a digit or X."
    )


def test_domain_error_of_a_staff_endpoint_in_both_languages(district):
    admin = factories.staff("street_admin", district.xianlin)
    resident = factories.PersonFactory(home_region=district.minfeng)
    token = api_token_create(person=admin, name="t")[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"{API}/staff/persons/{resident.public_id}/reveal"
    payload = {"what": "mobile", "reason": " "}

    english = api.post(url, payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400
    assert english.json() == {
        "code": "invalid",
        "message": "Say why you need the full number.",
        "field": "reason",
    }
    chinese = api.post(url, payload, content_type="application/json")
    assert chinese.status_code == 400
    assert chinese.json()["field"] == "reason"
    assert_chinese(chinese.json()["message"], english.json()["message"])
