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


def form_body(client, **headers):
    return client.post(
        f"{API}/auth/code",
        "mobile=13900001111",
        content_type="application/x-www-form-urlencoded",
        **headers,
    )


def null_body(client, **headers):
    return client.post(f"{API}/auth/code", "null", content_type="application/json", **headers)


def list_body(client, **headers):
    return client.post(f"{API}/auth/code", "[]", content_type="application/json", **headers)


def control_character_as_text_plain(client, **headers):
    body = '{"mobile": "139\\u00010001111"}'
    return client.post(f"{API}/auth/code", body, content_type="text/plain", **headers)


def lone_surrogate_deep_down(client, **headers):
    body = '{"mobile": "13900001111", "extra": [{"a": 1}, {"label": "\\ud800"}]}'
    return client.post(f"{API}/auth/code", body, content_type="application/json", **headers)


def huge_number_in_the_body(client, **headers):
    body = '{"mobile": 96061502568014839808}'
    return client.post(f"{API}/auth/code", body, content_type="application/json", **headers)


def huge_number_in_the_query(client, **headers):
    return client.get(f"{API}/regions?parent_id=96061502568014839808", **headers)


def surrogate_in_the_query(client, **headers):
    return client.get(f"{API}/centers?kind=a%ED%A0%80", **headers)


def body_too_large(client, **headers):
    body = '{"mobile": "' + "1" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'
    return client.post(f"{API}/auth/code", body, content_type="application/json", **headers)


def method_not_allowed(client, **headers):
    return client.delete(f"{API}/auth/code", **headers)


def unknown_path(client, **headers):
    return client.get(f"{API}/no-such-thing", **headers)


def case(make, status, field, english, *, new=False):
    return (make, status, field, english, new)


# (request, status, field, the English message, a message new with the input boundary)
CASES = [
    case(
        bad_mobile,
        400,
        "mobile",
        "Enter a mainland mobile number of 11 digits, starting with 13 to 19.",
    ),
    case(bad_region_id, 422, "region_id", "Enter a whole number."),
    case(missing_region, 404, None, "Not found."),
    case(unauthenticated, 401, None, "Please sign in first."),
    case(unreadable_body, 400, "body", "The request body is not valid JSON.", new=True),
    case(
        form_body,
        400,
        "body",
        "Send the request body as JSON (Content-Type: application/json).",
        new=True,
    ),
    case(null_body, 400, "body", "The request body must be a JSON object.", new=True),
    case(list_body, 400, "body", "The request body must be a JSON object.", new=True),
    case(
        control_character_as_text_plain,
        400,
        "mobile",
        "This text contains a control character that cannot be stored.",
        new=True,
    ),
    case(
        lone_surrogate_deep_down,
        400,
        "extra.1.label",
        "This text contains a broken character; please type it again.",
        new=True,
    ),
    case(huge_number_in_the_body, 400, "mobile", "This number is out of range.", new=True),
    case(huge_number_in_the_query, 400, "parent_id", "This number is out of range.", new=True),
    case(
        surrogate_in_the_query,
        400,
        "kind",
        "This text contains a broken character; please type it again.",
        new=True,
    ),
    case(body_too_large, 413, None, "The request is too large (at most 5 MB).", new=True),
    case(method_not_allowed, 405, None, "This method is not allowed here.", new=True),
    case(unknown_path, 404, None, "Not found."),
]
CASE_IDS = [c[0].__name__ for c in CASES]
IN_ANY_LANGUAGE = [c[:4] for c in CASES]
IN_CHINESE = [c[:4] for c in CASES]


def assert_chinese(message: str, english: str) -> None:
    assert message != english
    assert CJK.search(message), message


@pytest.mark.parametrize(("make", "status", "field", "english"), IN_ANY_LANGUAGE, ids=CASE_IDS)
def test_error_has_the_error_shape(client, make, status, field, english):
    response = make(client, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) - {"errors"} == {"code", "message", "field"}
    assert isinstance(body["code"], str) and body["code"]
    assert body["field"] == field


@pytest.mark.parametrize(("make", "status", "field", "english"), IN_ANY_LANGUAGE, ids=CASE_IDS)
def test_error_message_in_english_on_request(client, make, status, field, english):
    response = make(client, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status
    assert response.json()["message"] == english


@pytest.mark.parametrize(("make", "status", "field", "english"), IN_CHINESE, ids=CASE_IDS)
def test_error_message_in_chinese_on_request(client, make, status, field, english):
    response = make(client, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == status
    assert_chinese(response.json()["message"], english)


@pytest.mark.parametrize(("make", "status", "field", "english"), IN_CHINESE, ids=CASE_IDS)
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
