"""The intake API over HTTP (/api/v1/intake/...): the catalogue, submitting with and without
files, following and rating one's own requests; staff queues, steps, the counter, follow-ups
and figures. Errors are {"code", "message", "field"} and change nothing."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dangqun.intake import services
from dangqun.intake.models import Attachment, RequestEvent, ServiceItem, ServiceRequest
from tests.clients import Api, count_queries, error, page_client

from .conftest import GOOD_VALUES, intake_api, submit

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


def test_catalogue_of_a_center_inherits_district_items(world):
    api = intake_api()
    codes = [i["code"] for i in api.get("/items", {"center": "xianlin"}).json()]
    assert sorted(codes) == ["legal-advice", "party-transfer"]
    cangqian = [i["code"] for i in api.get("/items", {"center": "cangqian"}).json()]
    assert sorted(cangqian) == ["canteen-meal", "legal-advice"]
    item = api.get("/items/party-transfer").json()
    assert [f["code"] for f in item["fields"]] == [
        "branch",
        "months",
        "since",
        "direction",
        "in_province",
    ]
    assert item["fields"][3]["choices"][0] == {"key": "in", "name": "转入"}
    assert api.get("/items/nope").status_code == 404
    assert api.get("/items", {"center": "nowhere"}).status_code == 404


def test_submit_follow_and_rate(world):
    api = intake_api(world.resident)
    response = api.post("/requests", {"item": "party-transfer", "values": GOOD_VALUES})
    assert response.status_code == 201, response.content
    body = response.json()
    number = body["number"]
    assert body["status"] == "submitted" and body["values"]["months"] == 6
    assert body["history"][0]["action"] == "submitted"
    assert [r["number"] for r in api.get("/me/requests").json()] == [number]
    staff = intake_api(world.xianlin_staff)
    assert staff.post(f"/staff/requests/{number}/accept", {"note": "ok"}).status_code == 200
    step = staff.post(f"/staff/requests/{number}/resolve", {"note": "办好了"})
    assert step.json()["status"] == "resolved" and step.json()["allowed_steps"] == []
    rated = api.post(f"/me/requests/{number}/rating", {"score": 5, "comment": "很好"})
    assert rated.status_code == 201 and rated.json() == {"score": 5, "comment": "很好"}
    again = error(api.post(f"/me/requests/{number}/rating", {"score": 1}), 409)
    assert again["code"] == "already_rated"
    detail = api.get(f"/me/requests/{number}").json()
    assert [h["action"] for h in detail["history"]] == [
        "submitted",
        "accepted",
        "resolved",
        "rated",
    ]
    assert detail["rating"]["score"] == 5


def test_bad_input_gets_a_clear_error_and_changes_nothing(world):
    api = intake_api(world.resident)
    missing = error(api.post("/requests", {"item": "party-transfer", "values": {}}), 400)
    assert missing["field"] == "branch"
    wrong = error(
        api.post("/requests", {"item": "party-transfer", "values": {**GOOD_VALUES, "months": "x"}}),
        400,
    )
    assert wrong["field"] == "months"
    assert error(api.post("/requests", {"values": {}}), 422)["field"] == "item"
    no_place = error(api.post("/requests", {"item": "canteen-meal"}), 400)
    assert no_place["field"] == "location"
    assert error(api.post("/requests", {"item": "nope"}), 404)["code"] == "not_found"
    assert not ServiceRequest.objects.exists() and not RequestEvent.objects.exists()
    assert error(intake_api().post("/requests", {"item": "party-transfer"}), 401)


def test_someone_elses_request_is_404(world):
    mine = submit(world)
    other = intake_api(world.other)
    assert error(other.get(f"/me/requests/{mine.number}"), 404)["code"] == "not_found"
    assert error(other.post(f"/me/requests/{mine.number}/rating", {"score": 1}), 404)
    assert error(intake_api(world.cangqian_staff).get(f"/staff/requests/{mine.number}"), 404)
    assert error(
        intake_api(world.cangqian_staff).post(f"/staff/requests/{mine.number}/accept"), 404
    )
    assert error(intake_api(world.resident).get("/staff/requests"), 404)
    mine.refresh_from_db()
    assert mine.status == "submitted"


def test_illegal_transition_and_reject_without_reason(world):
    number = (
        intake_api(world.resident)
        .post("/requests", {"item": "party-transfer", "values": GOOD_VALUES})
        .json()["number"]
    )
    staff = intake_api(world.xianlin_staff)
    assert (
        error(staff.post(f"/staff/requests/{number}/reject", {"reason": ""}), 400)["field"]
        == "reason"
    )
    assert staff.post(f"/staff/requests/{number}/reject", {"reason": "材料不全"}).status_code == 200
    refused = error(staff.post(f"/staff/requests/{number}/resolve"), 409)
    assert refused["code"] == "illegal_transition"
    assert error(staff.post(f"/staff/requests/{number}/fly"), 422)
    assert ServiceRequest.objects.get().status == "rejected"
    assert RequestEvent.objects.count() == 2


def test_multipart_with_files_and_refused_files(world):
    api = intake_api(world.resident)
    data = json.dumps({"item": "party-transfer", "values": GOOD_VALUES})
    good = api.post_multipart(
        "/requests/with-files",
        {
            "data": data,
            "attachments": [
                SimpleUploadedFile("photo.png", png_bytes(), "image/png"),
                SimpleUploadedFile("a.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf"),
            ],
        },
    )
    assert good.status_code == 201, good.content
    files = good.json()["attachments"]
    assert [f["content_type"] for f in files] == ["image/png", "application/pdf"]
    # Only the person and the center's staff may download.
    url = files[0]["url"]
    got = page_client(world.resident).get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == png_bytes()
    assert page_client(world.other).get(url).status_code == 404
    assert page_client(world.cangqian_staff).get(url).status_code == 404
    assert page_client(world.xianlin_staff).get(url).status_code == 200
    before = ServiceRequest.objects.count(), Attachment.objects.count()
    disguised = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", "image/jpeg")
    bad = api.post_multipart("/requests/with-files", {"data": data, "attachments": [disguised]})
    assert error(bad, 400)["field"] == "attachments"
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"%%EOF")
    assert error(
        api.post_multipart("/requests/with-files", {"data": data, "attachments": [big]}), 400
    )
    assert (
        error(api.post_multipart("/requests/with-files", {"data": "{not json"}), 400)["field"]
        == "data"
    )
    assert (ServiceRequest.objects.count(), Attachment.objects.count()) == before


def test_counter_submission_and_desk(world):
    staff = intake_api(world.xianlin_staff)
    response = staff.post(
        "/staff/requests",
        {"person": str(world.resident.public_id), "item": "party-transfer", "values": GOOD_VALUES},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["channel"] == "counter" and body["person_mobile"] == "139****0001"
    desk = staff.get(f"/staff/counter/{world.resident.public_id}").json()
    assert [r["number"] for r in desk["requests"]] == [body["number"]]
    assert desk["bookings"] == [] and desk["registrations"] == []
    # Cangqian's staff do not see people of Xianlin.
    other = intake_api(world.cangqian_staff)
    assert error(other.get(f"/staff/counter/{world.resident.public_id}"), 404)


def test_queue_filters_and_figures(world):
    for _ in range(2):
        submit(world)
    staff = intake_api(world.xianlin_staff)
    rows = staff.get("/staff/requests", {"unit": "党员服务窗口"}).json()
    assert len(rows) == 2 and rows[0]["person_mobile"] == "139****0001"
    assert staff.get("/staff/requests", {"unit": "其他"}).json() == []
    assert intake_api(world.cangqian_staff).get("/staff/requests").json() == []
    assert len(intake_api(world.street_admin).get("/staff/requests").json()) == 2
    figures = staff.get("/staff/figures", {"center": "xianlin"}).json()
    assert figures["total"] == 2
    assert {k["kind"]: k["count"] for k in figures["by_kind"]}["party_member_service"] == 2
    assert figures["ratings"] == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}
    assert error(staff.get("/staff/figures", {"center": "cangqian"}), 404)
    street = staff.get("/staff/figures", {"street": world.tree.xianlin.pk}).json()
    assert street["total"] == 2
    bad = staff.get(
        "/staff/figures", {"center": "xianlin", "start": "2026-02-01", "end": "2026-01-01"}
    )
    assert error(bad, 400)["field"] == "end"


def test_staff_create_item_with_fields(world):
    staff = intake_api(world.xianlin_staff)
    payload = {
        "code": "childcare",
        "name": "托育报名",
        "kind": "convenience",
        "center": "xianlin",
        "unit": "林下小芽托育中心",
        "time_limit_days": 7,
        "fields": [
            {"code": "child_age", "label": "孩子月龄", "datatype": "number", "required": True},
            {
                "code": "slot",
                "label": "时段",
                "datatype": "choice",
                "choices": [{"key": "am", "name": "上午"}],
            },
        ],
    }
    response = staff.post("/staff/items", payload)
    assert response.status_code == 201, response.content
    assert [f["datatype"] for f in response.json()["fields"]] == ["number", "choice"]
    assert error(staff.post("/staff/items", payload), 400)["field"] == "code"
    wrong = {**payload, "code": "x2", "fields": [{"code": "a", "label": "A", "datatype": "colour"}]}
    assert error(staff.post("/staff/items", wrong), 422)
    district = {**payload, "code": "x3", "center": None, "region": world.tree.district.pk}
    assert error(staff.post("/staff/items", district), 404)  # center staff: not the district's
    assert ServiceItem.objects.filter(code__in=["x2", "x3"]).count() == 0


def test_openapi_lists_intake(world):
    paths = Api().get("/openapi.json").json()["paths"]
    assert "/api/v1/intake/requests" in paths
    assert "/api/v1/intake/staff/requests/{number}/{step}" in paths


def test_counter_by_mobile_for_someone_from_elsewhere(world):
    from tests import factories

    visitor = factories.PersonFactory(mobile="13922220004", home_region=world.tree.yunhui)
    staff = intake_api(world.xianlin_staff)
    assert error(staff.get(f"/staff/counter/{visitor.public_id}"), 404)
    assert staff.get("/staff/counter", {"mobile": "13922220004"}).json()["mobile"] == "139****0004"
    assert error(staff.get("/staff/counter", {"mobile": "13900000000"}), 400)["field"] == "mobile"
    created = staff.post(
        "/staff/requests",
        {"mobile": "13922220004", "item": "party-transfer", "values": GOOD_VALUES},
    )
    assert created.status_code == 201 and created.json()["channel"] == "counter"
    assert (
        error(staff.post("/staff/requests", {"item": "party-transfer"}), 400)["field"] == "person"
    )


def test_api_lists_take_a_constant_number_of_queries(world):
    resident, staff = intake_api(world.resident), intake_api(world.xianlin_staff)

    def counts():
        found = []
        for api, path in [
            (resident, "/me/requests"),
            (staff, "/staff/requests"),
            (resident, "/items"),
            (staff, "/staff/follow-ups"),
        ]:
            n, response = count_queries(lambda api=api, path=path: api.get(path))
            assert response.status_code == 200
            found.append(n)
        return found

    def one_more():
        request = submit(world)
        services.request_accept(actor=world.xianlin_staff, request=request)
        services.request_resolve(actor=world.xianlin_staff, request=request)
        services.rating_give(actor=world.resident, request=request, score=1)

    one_more()
    counts()  # the first use of each token records when it was used
    few = counts()
    for _ in range(5):
        one_more()
    assert counts() == few


def test_stopping_an_item_closes_it_to_new_requests(world):
    staff = intake_api(world.xianlin_staff)
    stop = staff.put("/staff/items/party-transfer/active", {"active": False})
    assert stop.status_code == 200 and stop.json()["code"] == "party-transfer"
    assert error(intake_api(world.resident).post("/requests", {"item": "party-transfer"}), 404)
    assert "party-transfer" not in [i["code"] for i in intake_api().get("/items").json()]
    other = intake_api(world.cangqian_staff)
    response = other.put("/staff/items/party-transfer/active", {"active": True})
    assert error(response, 404)


def test_transfer_to_a_center_outside_ones_regions(world):
    request = services.request_submit(
        actor=world.resident,
        person=world.resident,
        item=world.legal,
        channel="online",
        values={},
        description="",
        center=world.tree.xianlin_center,
    )
    staff = intake_api(world.xianlin_staff)
    moved = staff.post(
        f"/staff/requests/{request.number}/transfer", {"center": "cangqian", "note": "就近办理"}
    )
    assert moved.status_code == 200, moved.content
    assert (moved.json()["center"], moved.json()["status"]) == ("cangqian", "submitted")
    assert error(staff.get(f"/staff/requests/{request.number}"), 404)
    there = intake_api(world.cangqian_staff).get(f"/staff/requests/{request.number}").json()
    assert there["history"][-1]["action"] == "transferred"
    assert there["history"][-1]["note"] == "就近办理"
    nowhere = staff.post(f"/staff/requests/{request.number}/transfer", {"center": "nowhere"})
    assert error(nowhere, 404)
