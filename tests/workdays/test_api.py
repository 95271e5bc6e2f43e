"""The working-day API over HTTP (/api/v1/workdays/...): a year's days, official or
estimated; deadlines; district admins enter and remove days and mark a year complete."""

from datetime import date

import pytest

from dangqun.accounts.services import api_token_create
from dangqun.people.models import StaffRole
from dangqun.workdays import selectors
from dangqun.workdays.models import OfficialDay
from tests import factories

pytestmark = pytest.mark.django_db

API = "/api/v1/workdays"
LACKING = max(selectors.package_years()) + 1
Role = StaffRole.Role


def bearer(person) -> dict:
    _token, secret = api_token_create(person=person, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def boss(district):
    return bearer(factories.staff(Role.DISTRICT_ADMIN, district.district))


def test_a_covered_year(client):
    body = client.get(f"{API}/2025").json()
    assert (body["source"], body["estimated"]) == ("package", False)
    days = {d["date"]: d for d in body["days"]}
    assert days["2025-09-28"]["kind"] == "workday" and days["2025-09-28"]["working"]
    assert days["2025-10-11"]["kind"] == "workday"
    assert days["2025-10-08"]["kind"] == "holiday"
    assert days["2025-01-28"]["source"] == "package"
    assert body["working_days"] == 248  # the published count of 2025


def test_a_lacking_year_is_estimated_until_entered(client, boss):
    body = client.get(f"{API}/{LACKING}").json()
    assert (body["source"], body["estimated"], body["days"]) == ("estimated", True, [])
    response = client.post(
        f"{API}/days",
        {"date": f"{LACKING}-10-01", "kind": "holiday", "name": "国庆节"},
        content_type="application/json",
        **boss,
    )
    assert response.status_code == 201, response.content
    assert response.json() == {
        "date": f"{LACKING}-10-01",
        "kind": "holiday",
        "name": "国庆节",
        "source": "entered",
        "working": False,
    }
    assert client.get(f"{API}/{LACKING}").json()["estimated"] is True
    response = client.put(
        f"{API}/{LACKING}/complete", {"complete": True}, content_type="application/json", **boss
    )
    assert response.status_code == 200
    assert (response.json()["source"], response.json()["estimated"]) == ("entered", False)
    query = {"start": f"{LACKING}-09-30", "working_days": 1}
    found = client.get(f"{API}/deadline", query).json()
    assert found["estimated"] is False
    assert found["date"] != f"{LACKING}-10-01"


def test_deadline(client):
    found = client.get(f"{API}/deadline", {"start": "2025-09-30", "working_days": 1}).json()
    assert found == {
        "start": "2025-09-30",
        "working_days": 1,
        "date": "2025-10-09",
        "estimated": False,
    }
    response = client.get(f"{API}/deadline", {"start": "2025-09-30", "working_days": -1})
    assert response.status_code == 400 and response.json()["field"] == "working_days"
    assert client.get(f"{API}/deadline", {"start": "x", "working_days": 1}).status_code == 422


def test_removing_an_entered_day(client, boss):
    OfficialDay.objects.create(date=date(LACKING, 10, 1), kind="holiday")
    assert not selectors.is_working_day(date(LACKING, 10, 1))
    assert client.delete(f"{API}/days/{LACKING}-10-01", **boss).status_code == 204
    assert selectors.is_working_day(date(LACKING, 10, 1)) is (date(LACKING, 10, 1).weekday() < 5)
    assert client.delete(f"{API}/days/{LACKING}-10-01", **boss).status_code == 404


def test_only_district_admins_write(client, district):
    street = bearer(factories.staff(Role.STREET_ADMIN, district.xianlin))
    body = {"date": f"{LACKING}-10-01", "kind": "holiday"}
    response = client.post(f"{API}/days", body, content_type="application/json", **street)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert client.post(f"{API}/days", body, content_type="application/json").status_code == 401
    OfficialDay.objects.create(date=date(LACKING, 10, 1), kind="holiday")
    assert client.delete(f"{API}/days/{LACKING}-10-01", **street).status_code == 403
    assert OfficialDay.objects.count() == 1


def test_bad_input(client, boss):
    def post(body):
        return client.post(f"{API}/days", body, content_type="application/json", **boss)

    assert post({"date": f"{LACKING}-10-01", "kind": "rest"}).json()["field"] == "kind"
    monday = next(date(LACKING, 3, d) for d in range(1, 8) if date(LACKING, 3, d).weekday() == 0)
    assert post({"date": str(monday), "kind": "workday"}).json()["field"] == "date"
    assert post({"date": "1990-01-01", "kind": "holiday"}).json()["field"] == "year"
    assert post({"date": f"{LACKING}-10-01", "kind": "holiday"}).status_code == 201
    again = post({"date": f"{LACKING}-10-01", "kind": "holiday"})
    assert again.status_code == 400 and again.json()["field"] == "date"
    assert client.get(f"{API}/1800").status_code == 400
    response = client.put(
        f"{API}/{LACKING + 1}/complete", {"complete": True}, content_type="application/json", **boss
    )
    assert response.status_code == 400


def test_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/workdays/{year}" in paths and "/api/v1/workdays/days" in paths
