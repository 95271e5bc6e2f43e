"""The working-day API over HTTP (/api/v1/workdays/...): a year's days, official or
estimated; deadlines; district admins enter and remove days and mark a year complete."""

from datetime import date

import pytest

from dangqun.people.models import StaffRole
from dangqun.workdays import selectors
from dangqun.workdays.models import OfficialDay
from tests import factories
from tests.clients import Api

pytestmark = pytest.mark.django_db

LACKING = max(selectors.package_years()) + 1
Role = StaffRole.Role


def workdays(person=None) -> Api:
    """The shared JSON client at /api/v1/workdays, with the person's Bearer token."""
    return Api(person, base="/workdays", token=person is not None)


@pytest.fixture
def public():
    return workdays()


@pytest.fixture
def boss(district):
    return workdays(factories.staff(Role.DISTRICT_ADMIN, district.district))


def test_a_covered_year(public):
    body = public.get("/2025").json()
    assert (body["source"], body["estimated"]) == ("package", False)
    days = {d["date"]: d for d in body["days"]}
    assert days["2025-09-28"]["kind"] == "workday" and days["2025-09-28"]["working"]
    assert days["2025-10-11"]["kind"] == "workday"
    assert days["2025-10-08"]["kind"] == "holiday"
    assert days["2025-01-28"]["source"] == "package"
    assert body["working_days"] == 248  # the published count of 2025


def test_a_lacking_year_is_estimated_until_entered(public, boss):
    body = public.get(f"/{LACKING}").json()
    assert (body["source"], body["estimated"], body["days"]) == ("estimated", True, [])
    response = boss.post("/days", {"date": f"{LACKING}-10-01", "kind": "holiday", "name": "国庆节"})
    assert response.status_code == 201, response.content
    assert response.json() == {
        "date": f"{LACKING}-10-01",
        "kind": "holiday",
        "name": "国庆节",
        "source": "entered",
        "working": False,
    }
    assert public.get(f"/{LACKING}").json()["estimated"] is True
    response = boss.put(f"/{LACKING}/complete", {"complete": True})
    assert response.status_code == 200
    assert (response.json()["source"], response.json()["estimated"]) == ("entered", False)
    query = {"start": f"{LACKING}-09-30", "working_days": 1}
    found = public.get("/deadline", query).json()
    assert found["estimated"] is False
    assert found["date"] != f"{LACKING}-10-01"


def test_deadline(public):
    found = public.get("/deadline", {"start": "2025-09-30", "working_days": 1}).json()
    assert found == {
        "start": "2025-09-30",
        "working_days": 1,
        "date": "2025-10-09",
        "estimated": False,
    }
    response = public.get("/deadline", {"start": "2025-09-30", "working_days": -1})
    assert response.status_code == 422 and response.json()["field"] == "working_days"
    assert public.get("/deadline", {"start": "x", "working_days": 1}).status_code == 422


def test_removing_an_entered_day(public, boss):
    OfficialDay.objects.create(date=date(LACKING, 10, 1), kind="holiday")
    assert not selectors.is_working_day(date(LACKING, 10, 1))
    assert boss.delete(f"/days/{LACKING}-10-01").status_code == 204
    assert selectors.is_working_day(date(LACKING, 10, 1)) is (date(LACKING, 10, 1).weekday() < 5)
    assert boss.delete(f"/days/{LACKING}-10-01").status_code == 404


def test_only_district_admins_write(public, district):
    street = workdays(factories.staff(Role.STREET_ADMIN, district.xianlin))
    body = {"date": f"{LACKING}-10-01", "kind": "holiday"}
    response = street.post("/days", body)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert public.post("/days", body).status_code == 401
    OfficialDay.objects.create(date=date(LACKING, 10, 1), kind="holiday")
    assert street.delete(f"/days/{LACKING}-10-01").status_code == 403
    assert OfficialDay.objects.count() == 1


def test_bad_input(public, boss):
    def post(body):
        return boss.post("/days", body)

    assert post({"date": f"{LACKING}-10-01", "kind": "rest"}).json()["field"] == "kind"
    monday = next(date(LACKING, 3, d) for d in range(1, 8) if date(LACKING, 3, d).weekday() == 0)
    assert post({"date": str(monday), "kind": "workday"}).json()["field"] == "date"
    assert post({"date": "1990-01-01", "kind": "holiday"}).json()["field"] == "year"
    assert post({"date": f"{LACKING}-10-01", "kind": "holiday"}).status_code == 201
    again = post({"date": f"{LACKING}-10-01", "kind": "holiday"})
    assert again.status_code == 400 and again.json()["field"] == "date"
    assert public.get("/1800").status_code == 400
    response = boss.put(f"/{LACKING + 1}/complete", {"complete": True})
    assert response.status_code == 400


def test_in_the_openapi_document():
    paths = Api().get("/openapi.json").json()["paths"]
    assert "/api/v1/workdays/{year}" in paths and "/api/v1/workdays/days" in paths
