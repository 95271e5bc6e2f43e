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
