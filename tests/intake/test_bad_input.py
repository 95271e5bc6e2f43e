"""Issue 12 for one-stop intake: every input of its API is bounded where it enters (the
models' lengths, kinds and statuses as the models' choices, coordinates in China, ids in
64 bits, pages, dates in 1900-2100), refused with a 4xx naming the field; and its schema
names are its own, so the OpenAPI document describes each endpoint with the right one."""

import json

import pytest
from ninja import Schema

from dangqun import api as shell
from dangqun.intake.models import ServiceItem, ServiceRequest
from tests.clients import error

from .conftest import GOOD_VALUES, intake_api, submit

pytestmark = pytest.mark.django_db

REQUEST = {"item": "party-transfer", "values": GOOD_VALUES}


def _refused(response, status: int, field: str) -> dict:
    body = error(response, status)
    assert body["field"] == field, body
    return body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"lat": 0, "lng": 120.1}, "lat"),  # the Gulf of Guinea, not the district
        ({"lat": 30.3, "lng": -170}, "lng"),
        ({"lat": 91, "lng": 120.1}, "lat"),
        ({"description": "述" * 2001}, "description"),
        ({"address": "路" * 201}, "address"),
        ({"address": "a\tb"}, "address"),  # one line
        ({"item": "x" * 61}, "item"),
        ({"center": "x" * 61}, "center"),
        ({"values": {f"k{n}": "v" for n in range(31)}}, "values"),
    ],
)
def test_a_request_out_of_bounds_is_422_naming_the_field(world, changes, field):
    api = intake_api(world.resident)
    _refused(api.post("/requests", {**REQUEST, **changes}), 422, field)
    assert not ServiceRequest.objects.exists()


def test_a_detail_date_beyond_the_years_kept_is_400(world):
    api = intake_api(world.resident)
    for since in ("0001-01-01", "9999-12-31", "1899-12-31"):
        body = {**REQUEST, "values": {**GOOD_VALUES, "since": since}}
        assert "1900-01-01" in _refused(api.post("/requests", body), 400, "since")["message"]
    assert not ServiceRequest.objects.exists()


def test_a_request_with_files_checks_its_data_like_a_body(world):
    api = intake_api(world.resident)
    with_files = "/requests/with-files"
    nul = json.dumps({**REQUEST, "description": "a\u0000b"})
    _refused(api.post_multipart(with_files, {"data": nul}), 400, "data.description")
    huge = '{"item": "party-transfer", "lat": 1e400, "lng": 120}'
    _refused(api.post_multipart(with_files, {"data": huge}), 400, "data.lat")
    far = json.dumps({**REQUEST, "lat": 0, "lng": 120.1})
    _refused(api.post_multipart(with_files, {"data": far}), 422, "data.lat")
    _refused(api.post_multipart(with_files, {"data": "[1, 2]"}), 400, "data")
    _refused(api.post_multipart(with_files, {"data": "NaN"}), 400, "data")
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("score", [0, 6, -1])
def test_a_rating_out_of_range_is_422(world, score):
    request = submit(world)
    response = intake_api(world.resident).post(
        f"/me/requests/{request.number}/rating", {"score": score}
    )
    _refused(response, 422, "score")


def test_path_values_are_bounded(world):
    api = intake_api(world.resident)
    _refused(api.get("/me/requests/" + "1" * 21), 422, "number")
    _refused(api.get("/items/a%01b"), 422, "code")
    _refused(api.get("/items", {"kind": "nonsense"}), 422, "kind")
    assert api.get("/items", {"kind": "volunteer"}).status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": -1}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 1_000_001}, "offset"),
        ({"status": "lost"}, "status"),
        ({"unit": "u" * 81}, "unit"),
        ({"due": "someday"}, "due"),
    ],
)
def test_the_staff_list_refuses_what_is_out_of_range(world, query, field):
    _refused(intake_api(world.street_admin).get("/staff/requests", query), 422, field)


def test_the_staff_list_pages_without_clamping(world):
    for _n in range(3):
        submit(world)
    api = intake_api(world.street_admin)
    assert len(api.get("/staff/requests", {"limit": 2}).json()) == 2
    assert len(api.get("/staff/requests", {"limit": 2, "offset": 2}).json()) == 1
    assert len(api.get("/staff/requests", {"status": "submitted", "limit": 500}).json()) == 3


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ({"center": "xianlin", "start": "9999-12-31"}, 422, "start"),
        ({"center": "xianlin", "end": "0001-01-01"}, 422, "end"),
        ({"center": "xianlin", "start": "2026-02-01", "end": "2026-01-01"}, 400, "end"),
        ({"street": 0}, 422, "street"),
        ({"street": 2**63}, 400, "street"),
    ],
)
def test_figures_out_of_range_are_refused(world, query, status, field):
    _refused(intake_api(world.street_admin).get("/staff/figures", query), status, field)


def test_figures_at_the_edges_answer(world):
    api = intake_api(world.street_admin)
    for start, end in (("1900-01-01", "1909-12-31"), ("2091-01-01", "2100-12-31")):
        response = api.get("/staff/figures", {"center": "xianlin", "start": start, "end": end})
        assert response.status_code == 200, response.content


ITEM = {
    "code": "new-item",
    "center": "xianlin",
    "name": "新事项",
    "kind": "convenience",
    "unit": "综合窗口",
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "magic"}, "kind"),
        ({"time_limit_days": 0}, "time_limit_days"),
        ({"time_limit_days": 366}, "time_limit_days"),
        ({"name": " \u200b "}, "name"),  # blank: spaces and a zero-width space
        ({"unit": "u" * 81}, "unit"),
        ({"region": 0}, "region"),
        (
            {"fields": [{"code": f"f{n}", "label": "l", "datatype": "text"} for n in range(31)]},
            "fields",
        ),
        ({"fields": [{"code": "a", "label": "l", "datatype": "colour"}]}, "fields.0.datatype"),
        (
            {"fields": [{"code": "a", "label": "l", "datatype": "text", "order": -1}]},
            "fields.0.order",
        ),
        (
            {
                "fields": [
                    {
                        "code": "a",
                        "label": "l",
                        "datatype": "choice",
                        "choices": [{"key": f"k{n}"} for n in range(51)],
                    }
                ]
            },
            "fields.0.choices",
        ),
    ],
)
def test_a_catalogue_item_out_of_bounds_is_422(world, changes, field):
    api = intake_api(world.street_admin)
    _refused(api.post("/staff/items", {**ITEM, **changes}), 422, field)
    assert not ServiceItem.objects.filter(code="new-item").exists()


def test_a_follow_up_is_closed_with_a_note(world):
    request = submit(world)
    staff = intake_api(world.xianlin_staff)
    staff.post(f"/staff/requests/{request.number}/accept", {})
    staff.post(f"/staff/requests/{request.number}/resolve", {})
    intake_api(world.resident).post(f"/me/requests/{request.number}/rating", {"score": 1})
    follow_up = staff.get("/staff/follow-ups").json()[0]["id"]
    blank = staff.post(f"/staff/follow-ups/{follow_up}/close", {"note": "  "})
    assert _refused(blank, 422, "note")["code"] == "blank"
    long = staff.post(f"/staff/follow-ups/{follow_up}/close", {"note": "n" * 1001})
    _refused(long, 422, "note")
    done = staff.post(f"/staff/follow-ups/{follow_up}/close", {"note": "已回访"})
    assert done.status_code == 200 and done.json()["status"] == "done"


def test_a_counter_look_up_is_bounded(world):
    staff = intake_api(world.xianlin_staff)
    _refused(staff.get("/staff/counter", {"mobile": "+86 139-1111-0001 ext 9"}), 422, "mobile")
    _refused(staff.get("/staff/counter/" + "x" * 37), 422, "person")


# --- the OpenAPI document -------------------------------------------------------------------


def _schemas(cls=Schema):
    for sub in cls.__subclasses__():
        yield sub
        yield from _schemas(sub)


def test_the_apps_schema_names_are_unique_across_the_api():
    """A name in the OpenAPI document means one class: ninja files every schema under its
    class name, so two classes of one name describe some endpoint with the wrong one."""
    assert shell.api  # every router imported
    by_name: dict[str, set] = {}
    for cls in _schemas():
        if cls.__module__.startswith("dangqun."):
            by_name.setdefault(cls.__name__, set()).add(cls.__module__)
    ours = ("dangqun.intake.", "dangqun.bookings.")
    clashes = {
        name: sorted(modules)
        for name, modules in by_name.items()
        if len(modules) > 1 and any(m.startswith(ours) for m in modules)
    }
    assert clashes == {}


def test_the_document_states_the_bounds():
    document = shell.api.get_openapi_schema()
    schemas = document["components"]["schemas"]
    request = schemas["RequestIn"]["properties"]
    assert request["description"]["maxLength"] == 2000
    assert request["address"]["maxLength"] == 200
    lat = request["lat"]["anyOf"][0]
    assert (lat["minimum"], lat["maximum"]) == (3.8, 53.6)
    rating = schemas["RequestRatingIn"]["properties"]["score"]
    assert (rating["minimum"], rating["maximum"]) == (1, 5)
    item = schemas["ItemIn"]["properties"]
    assert set(item["kind"]["enum"]) == {
        "party_member_service",
        "study",
        "convenience",
        "featured",
        "volunteer",
    }
    parameters = {
        p["name"]: p["schema"]
        for p in document["paths"]["/api/v1/intake/staff/requests"]["get"]["parameters"]
    }
    assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"]) == (1, 500)


def test_an_empty_filter_still_means_any(world):
    submit(world)
    assert len(intake_api(world.street_admin).get("/staff/requests", {"status": ""}).json()) == 1
    assert len(intake_api().get("/items", {"kind": ""}).json()) == 3
