"""Input the database cannot store is a 400 with a message, never a 500, on both databases."""

import pytest

from tests import factories


@pytest.mark.parametrize("path", ["/api/v1/centers?kind=a%00b", "/api/v1/regions?level=a%00"])
def test_api_refuses_nul_in_the_query(client, db, path):
    response = client.get(path)
    assert response.status_code == 400
    assert set(response.json()) >= {"code", "message", "field"}


def test_api_refuses_nul_in_a_json_body(client, db):
    response = client.post(
        "/api/v1/auth/code", '{"mobile": "138\\u00000000000"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_page_form_with_nul_is_not_a_server_error(client, db):
    person = factories.PersonFactory()
    client.force_login(person)
    response = client.post("/accounts/me/", {"name": "王\x00五"})
    assert response.status_code == 400
    person.refresh_from_db()
    assert "\x00" not in person.name


# --- the API: every content type, every field, the last lines of defence ---------------------

API = "/api/v1"


@pytest.mark.parametrize(
    "content_type", ["application/json", "text/plain", "application/octet-stream", ""]
)
def test_a_nul_is_refused_whatever_the_content_type_claims(client, db, content_type):
    response = client.post(
        f"{API}/auth/code", '{"mobile": "138\\u00000000000"}', content_type=content_type
    )
    assert response.status_code == 400
    assert response.json()["field"] == "mobile"


@pytest.mark.parametrize("char", ["\\u0001", "\\u001b", "\\u007f", "\\u0085", "\\ud800", "\\udfff"])
def test_control_characters_and_lone_surrogates_are_refused_in_a_body(client, db, char):
    body = '{"mobile": "13900001111", "fields": [{"label": "ok"}, {}, {"label": "a' + char + 'b"}]}'
    response = client.post(f"{API}/auth/code", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "fields.2.label"


def test_a_key_with_a_control_character_is_refused(client, db):
    response = client.post(
        f"{API}/auth/code", '{"mob\\u0001ile": "1"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "mob\ufffdile"


@pytest.mark.parametrize("text", ["tab\\there", "two\\nlines", "crlf\\r\\nend", "王五 ✓ 😀"])
def test_what_people_type_passes_the_boundary(client, db, text, sms_outbox):
    # The boundary refuses only what can never be stored; the field's own rule decides the rest
    # (here: not a mobile number, a 400 from the service naming the field, not the parser).
    body = '{"mobile": "' + text + '"}'
    response = client.post(
        f"{API}/auth/code", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "mobile"
    assert "character" not in response.json()["message"]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"])
def test_numbers_that_are_not_finite_are_refused(client, db, literal):
    body = '{"mobile": ' + literal + "}"
    response = client.post(f"{API}/auth/code", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] in {"body", "mobile"}


@pytest.mark.parametrize(
    ("number", "refused"),
    [
        (2**63 - 1, False),
        (-(2**63), False),
        (2**63, True),
        (-(2**63) - 1, True),
        (10**30, True),
    ],
)
def test_integers_beyond_64_bits_are_refused(client, db, number, refused):
    body = '{"mobile": ' + str(number) + "}"
    response = client.post(f"{API}/auth/code", body, content_type="application/json")
    assert (response.json()["code"] == "out_of_range") is refused


def test_deeply_nested_bodies_are_an_error_not_a_crash(client, db):
    body = '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = client.post(f"{API}/auth/code", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "body"


@pytest.mark.parametrize(
    "query",
    [
        "kind=a%01b",
        "kind=%ED%A0%80",
        "kind=%C0%80",
        "k%01ind=x",
        "street=96061502568014839808",
        "street=-96061502568014839808",
    ],
)
def test_query_strings_are_checked(client, db, query):
    response = client.get(f"{API}/centers?{query}")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "message", "field"}
    assert body["field"]


def test_a_long_number_that_fits_passes_the_query_check(client, db):
    # 19 digits within 64 bits: not the parser's business (here: no such street, 404).
    assert client.get(f"{API}/centers?street=9223372036854775807").status_code == 404


def test_form_fields_of_the_api_are_checked(db):
    from tests.clients import Api

    api = Api(factories.PersonFactory(), token=True)
    response = api.client.post(
        f"{API}/intake/requests/with-files", {"data": "a\x01b"}, headers=api.headers
    )
    assert response.status_code == 400
    assert response.json()["field"] == "data"


def test_a_server_error_is_json_and_logged(db, monkeypatch, caplog):
    from django.test import Client

    from dangqun.places import selectors

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "space_kinds", broken)
    response = Client(raise_request_exception=False).get(
        f"{API}/space-kinds", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 500
    assert response.json() == {
        "code": "server_error",
        "message": "Something went wrong on our side; please try again later.",
        "field": None,
    }
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in caplog.records)


def test_a_server_error_still_reaches_the_test_client(db, monkeypatch, client):
    # Django's got_request_exception is sent, so tests keep seeing the real exception.
    from dangqun.places import selectors

    monkeypatch.setattr(selectors, "space_kinds", lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        client.get(f"{API}/space-kinds")


@pytest.mark.parametrize(
    "overflow",
    [
        lambda: __import__("datetime").date(9999, 12, 31) + __import__("datetime").timedelta(1),
        lambda: (
            __import__("datetime")
            .datetime(9999, 12, 31, 23, tzinfo=__import__("datetime").UTC)
            .astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
        ),
    ],
    ids=["date", "datetime"],
)
def test_an_overflow_anywhere_is_a_400_and_logged(db, monkeypatch, client, caplog, overflow):
    from dangqun.places import selectors

    monkeypatch.setattr(selectors, "space_kinds", overflow)
    response = client.get(f"{API}/space-kinds", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {
        "code": "out_of_range",
        "message": "This date or number is out of range.",
        "field": None,
    }
    assert any(r.levelname == "WARNING" and "OverflowError" in r.message for r in caplog.records)


def test_an_id_beyond_64_bits_in_the_path_is_not_a_server_error(client, db):
    response = client.get(f"{API}/regions/96061502568014839808")
    assert response.status_code in {400, 404}
    assert set(response.json()) == {"code", "message", "field"}


# --- pages and forms ----------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x85"])
def test_page_form_with_a_control_character_is_refused(client, db, char):
    person = factories.PersonFactory()
    client.force_login(person)
    response = client.post("/accounts/me/", {"name": f"王{char}五"})
    assert response.status_code == 400
    person.refresh_from_db()
    assert char not in person.name


def test_page_form_keeps_tabs_and_line_ends(client, db):
    # A textarea sends "\r\n"; that is text, not a control character to refuse.
    response = client.get("/centers/", {"q": "a\tb\r\nc"})
    assert response.status_code == 200


def test_page_query_with_a_control_character_is_refused(client, db):
    assert client.get("/centers/?q=a%1Bb").status_code == 400


def test_page_that_overflows_is_a_400_page(db, monkeypatch, client):
    from dangqun.places import selectors

    def overflow(*args, **kwargs):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(selectors, "streets", overflow)
    response = client.get("/")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_an_overflow_while_writing_the_response_is_a_400_too(db, monkeypatch, client):
    # Pydantic wraps what an attribute raises (a stored year 9999 shown in +08:00) in its own
    # error; the overflow behind it is still the out-of-range answer, not a 500.
    from dangqun.places import selectors

    class Kind:
        code = "x"
        name_en = "x"

        @property
        def name(self):
            raise OverflowError("date value out of range")

    monkeypatch.setattr(selectors, "space_kinds", lambda: [Kind()])
    response = client.get(f"{API}/space-kinds")
    assert response.status_code == 400
    assert response.json()["code"] == "out_of_range"
