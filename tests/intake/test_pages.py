"""The intake pages over HTTP: the catalogue, the request form (typed fields, files, errors
beside the field), my requests and the progress page with the rating; the staff's queue,
a request's steps, due-soon and overdue, the counter and figures. Someone else's request
is a 404 like a missing one."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from dangqun.intake import services
from dangqun.intake.models import FollowUp, ServiceRequest
from tests.clients import count_queries
from tests.pages import error_box, field_error

from .conftest import submit

pytestmark = pytest.mark.django_db

FORM = {
    "v_branch": "民丰村党支部",
    "v_direction": "in",
    "v_months": "6",
    "v_since": "2001-07-01",
    "v_in_province": "yes",
    "description": "调往闲林工作",
}


def test_catalogue_and_item_pages(client, world):
    page = client.get("/intake/centers/xianlin/").content.decode()
    assert "党员组织关系转接" in page and "法律咨询" in page and "老年食堂助餐登记" not in page
    assert client.get("/intake/").status_code == 200
    assert client.get("/intake/centers/nowhere/").status_code == 404
    item = client.get("/intake/centers/xianlin/party-transfer/").content.decode()
    assert "/accounts/sign-in/" in item and "5" in item  # anonymous: sign in first
    # Cangqian's item is not offered at Xianlin.
    assert client.get("/intake/centers/xianlin/canteen-meal/").status_code == 404


def test_submit_by_form_then_progress(as_person, world):
    client = as_person(world.resident)
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, "PNG")
    response = client.post(
        "/intake/centers/xianlin/party-transfer/",
        {**FORM, "attachments": [SimpleUploadedFile("a.png", png.getvalue())]},
    )
    request = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/intake/mine/{request.number}/"
    assert request.values["in_province"] is True and request.attachments.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert request.number in page and "民丰村党支部" in page and "转入" in page
    assert request.number in client.get("/intake/mine/").content.decode()


def test_form_errors_beside_the_field_and_nothing_saved(as_person, world):
    client = as_person(world.resident)
    page = client.post("/intake/centers/xianlin/party-transfer/", {**FORM, "v_branch": ""})
    assert page.status_code == 400 and field_error(page.content.decode(), "v_branch")
    page = client.post("/intake/centers/xianlin/party-transfer/", {**FORM, "v_months": "many"})
    assert page.status_code == 400 and field_error(page.content.decode(), "v_months")
    fake = SimpleUploadedFile("scan.pdf", b"<html>not a pdf</html>")
    page = client.post("/intake/centers/xianlin/party-transfer/", {**FORM, "attachments": [fake]})
    assert page.status_code == 400 and "PDF" in error_box(page.content.decode())
    canteen = client.post("/intake/centers/cangqian/canteen-meal/", {"description": "x"})
    assert canteen.status_code == 400 and "需要地点" in field_error(
        canteen.content.decode(), "address"
    )
    assert not ServiceRequest.objects.exists()


def test_progress_page_is_the_persons_own(as_person, world):
    request = submit(world)
    assert as_person(world.other).get(f"/intake/mine/{request.number}/").status_code == 404
    assert (
        as_person(world.other)
        .post(f"/intake/mine/{request.number}/rate/", {"score": 1})
        .status_code
        == 404
    )


def test_rating_on_the_progress_page(as_person, world):
    request = submit(world)
    client = as_person(world.resident)
    assert "rating-form" not in client.get(f"/intake/mine/{request.number}/").content.decode()
    services.request_accept(actor=world.xianlin_staff, request=request)
    services.request_resolve(actor=world.xianlin_staff, request=request)
    assert "rating-form" in client.get(f"/intake/mine/{request.number}/").content.decode()
    bad = client.post(f"/intake/mine/{request.number}/rate/", {"score": "9"})
    assert bad.status_code == 400 and field_error(bad.content.decode(), "score")
    client.post(f"/intake/mine/{request.number}/rate/", {"score": "1", "comment": "太慢"})
    assert FollowUp.objects.filter(request=request).exists()
    again = client.post(f"/intake/mine/{request.number}/rate/", {"score": "5"}, follow=True)
    assert "已评价" in again.content.decode() or "rated already" in again.content.decode()
    request.refresh_from_db()
    assert request.rating.score == 1


def test_staff_queue_detail_and_steps(as_person, world):
    request = submit(world)
    client = as_person(world.xianlin_staff)
    queue = client.get("/staff/intake/").content.decode()
    assert request.number in queue and "党员服务窗口 (1)" in queue
    assert (
        request.number not in as_person(world.cangqian_staff).get("/staff/intake/").content.decode()
    )
    client = as_person(world.xianlin_staff)
    detail = client.get(f"/staff/intake/r/{request.number}/").content.decode()
    assert "139****0001" in detail and "13911110001" not in detail
    assert (
        client.post(f"/staff/intake/r/{request.number}/accept/", {"note": "收到"}).status_code
        == 302
    )
    rejected = client.post(f"/staff/intake/r/{request.number}/reject/", {"reason": ""})
    assert rejected.status_code == 400 and field_error(rejected.content.decode(), "reason")
    client.post(f"/staff/intake/r/{request.number}/resolve/", {"note": "办结"})
    request.refresh_from_db()
    assert request.status == "resolved"
    late = client.post(f"/staff/intake/r/{request.number}/accept/", {}, follow=True)
    assert "cannot be" in late.content.decode() or "不能" in late.content.decode()
    request.refresh_from_db()
    assert request.status == "resolved" and request.events.count() == 3
    assert client.post(f"/staff/intake/r/{request.number}/fly/").status_code == 404
    other = as_person(world.cangqian_staff)
    assert other.get(f"/staff/intake/r/{request.number}/").status_code == 404
    assert as_person(world.resident).get("/staff/intake/").status_code == 404


def test_transfer_page(as_person, world):
    request = services.request_submit(
        actor=world.resident,
        person=world.resident,
        item=world.legal,
        channel="online",
        values={},
        description="",
        center=world.tree.xianlin_center,
    )
    client = as_person(world.street_admin)
    response = client.post(
        f"/staff/intake/r/{request.number}/transfer/", {"unit": "", "center": "", "note": ""}
    )
    assert response.status_code == 400
    client.post(f"/staff/intake/r/{request.number}/transfer/", {"unit": "综合窗口", "center": ""})
    request.refresh_from_db()
    assert request.unit == "综合窗口"


def test_due_and_overdue_page(as_person, world):
    late = submit(world)
    ServiceRequest.objects.filter(pk=late.pk).update(due_date=date(2020, 1, 3))
    soon = submit(world)
    ServiceRequest.objects.filter(pk=soon.pk).update(due_date=timezone.localdate())
    later = submit(world)  # due in five working days: neither list
    page = as_person(world.xianlin_staff).get("/staff/intake/due/").content.decode()
    overdue_part, soon_part = page.split('id="due-soon"')
    assert late.number in overdue_part and soon.number not in overdue_part
    assert soon.number in soon_part and late.number not in soon_part
    assert later.number not in page


def test_counter_find_desk_and_submit(as_person, world):
    client = as_person(world.xianlin_staff)
    found = client.get("/staff/intake/counter/", {"q": "0001"}).content.decode()
    assert "王小明" in found
    desk = client.get(f"/staff/intake/counter/{world.resident.public_id}/").content.decode()
    assert "党员组织关系转接" in desk and "法律咨询" in desk
    url = f"/staff/intake/counter/{world.resident.public_id}/xianlin/party-transfer/"
    assert client.get(url).status_code == 200
    response = client.post(url, FORM)
    request = ServiceRequest.objects.get()
    assert response.status_code == 302 and request.channel == "counter"
    assert request.person == world.resident and request.submitted_by == world.xianlin_staff
    desk = client.get(f"/staff/intake/counter/{world.resident.public_id}/").content.decode()
    assert request.number in desk
    other = as_person(world.cangqian_staff)
    assert other.get(f"/staff/intake/counter/{world.resident.public_id}/").status_code == 404
    assert other.get(url).status_code == 404


def test_follow_ups_page(as_person, world):
    request = submit(world)
    services.request_accept(actor=world.xianlin_staff, request=request)
    services.request_resolve(actor=world.xianlin_staff, request=request)
    services.rating_give(actor=world.resident, request=request, score=1, comment="态度差")
    client = as_person(world.xianlin_staff)
    assert "态度差" in client.get("/staff/intake/follow-ups/").content.decode()
    follow_up = FollowUp.objects.get()
    client.post(f"/staff/intake/follow-ups/{follow_up.public_id}/close/", {"note": ""})
    follow_up.refresh_from_db()
    assert follow_up.status == "open"
    client.post(f"/staff/intake/follow-ups/{follow_up.public_id}/close/", {"note": "已回访"})
    follow_up.refresh_from_db()
    assert follow_up.status == "done"


def test_figures_page_and_its_query_count(as_person, world):
    client = as_person(world.xianlin_staff)
    for n in range(3):
        request = submit(world)
        services.request_accept(actor=world.xianlin_staff, request=request)
        services.request_resolve(actor=world.xianlin_staff, request=request)
        services.rating_give(actor=world.resident, request=request, score=n + 3)
    client.get("/staff/intake/figures/")  # warm the working-day tables
    few, page = count_queries(lambda: client.get("/staff/intake/figures/", {"center": "xianlin"}))
    for _ in range(10):
        request = submit(world)
        services.request_accept(actor=world.xianlin_staff, request=request)
        services.request_resolve(actor=world.xianlin_staff, request=request)
    many, _page = count_queries(lambda: client.get("/staff/intake/figures/", {"center": "xianlin"}))
    assert page.status_code == 200 and many == few and few <= 15
    text = page.content.decode()
    assert "<strong>100.0%</strong>" in text and "<strong>4.00</strong>" in text
    bad = client.get("/staff/intake/figures/", {"start": "2026-02-01", "end": "x"})
    assert bad.status_code == 400


def test_counter_serves_someone_from_elsewhere_by_full_mobile(as_person, world):
    from tests import factories

    visitor = factories.PersonFactory(
        name="赵六", mobile="13922220003", home_region=world.tree.yunhui
    )
    client = as_person(world.xianlin_staff)
    desk = f"/staff/intake/counter/{visitor.public_id}/"
    assert client.get(desk).status_code == 404  # not found by name, not given at the desk
    assert desk not in client.get("/staff/intake/counter/", {"q": "赵六"}).content.decode()
    assert client.get(desk).status_code == 404
    assert desk in client.get("/staff/intake/counter/", {"q": "13922220003"}).content.decode()
    assert client.get(desk).status_code == 200
    response = client.post(f"{desk}xianlin/party-transfer/", FORM)
    assert response.status_code == 302
    assert ServiceRequest.objects.get().person == visitor


def test_lists_take_a_constant_number_of_queries(as_person, world):
    def counts():
        found = {}
        for who, path in [
            (world.xianlin_staff, "/staff/intake/"),
            (world.xianlin_staff, "/staff/intake/due/"),
            (world.resident, "/intake/mine/"),
            (world.resident, "/intake/centers/xianlin/"),
        ]:
            signed_in = as_person(who)
            n, response = count_queries(lambda client=signed_in, path=path: client.get(path))
            assert response.status_code == 200
            found[path] = n
        return found

    for _ in range(2):
        submit(world)
    few = counts()
    for _ in range(8):
        submit(world)
    services.request_submit(
        actor=world.resident,
        person=world.resident,
        item=world.legal,
        channel="online",
        values={},
        description="",
        center=world.tree.xianlin_center,
    )
    assert counts() == few


def test_staff_catalogue_stops_and_restarts_an_item(as_person, world):
    client = as_person(world.xianlin_staff)
    page = client.get("/staff/intake/catalogue/").content.decode()
    assert "party-transfer" in page and "canteen-meal" not in page
    client.post("/staff/intake/catalogue/party-transfer/active/")
    world.transfer.refresh_from_db()
    assert not world.transfer.is_active
    catalogue = client.get("/intake/centers/xianlin/").content.decode()
    assert "/intake/centers/xianlin/party-transfer/" not in catalogue
    client.post("/staff/intake/catalogue/party-transfer/active/")
    world.transfer.refresh_from_db()
    assert world.transfer.is_active
    other = as_person(world.cangqian_staff)
    assert other.post("/staff/intake/catalogue/party-transfer/active/").status_code == 404
    # The district's item belongs to the district: a center's staff cannot stop it.
    assert client.post("/staff/intake/catalogue/legal-advice/active/").status_code == 404


def test_an_estimated_due_date_is_marked(as_person, world):
    request = submit(world)
    ServiceRequest.objects.filter(pk=request.pk).update(
        due_date=date(2027, 1, 8), due_estimated=True
    )
    page = as_person(world.resident).get(f"/intake/mine/{request.number}/").content.decode()
    assert "2027-01-08" in page and "估算" in page
