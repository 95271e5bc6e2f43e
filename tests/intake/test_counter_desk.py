"""The counter (一站式受理) serving someone from start to end: found by the mobile number
however it is typed, registered at the desk when they have no account yet (their consent
on paper recorded with who and when), a request filed and accepted in one step with a
printable receipt, only activities they have not joined offered, and refusals in staff's
words. Pages and the staff API alike."""

import html
import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dangqun.activities.services import registration_create
from dangqun.core.models import AuditEntry
from dangqun.intake.models import RequestEvent, ServiceRequest, Status
from dangqun.people.models import Person
from tests import factories
from tests.clients import error, page_client

from .conftest import GOOD_VALUES, intake_api, submit

pytestmark = pytest.mark.django_db

FIND = "/staff/intake/counter/"
REGISTER = "/staff/intake/counter/register/"
FORM = {
    "v_branch": "民丰村党支部",
    "v_direction": "in",
    "v_months": "6",
    "v_in_province": "yes",
    "description": "调往闲林工作",
}


def text(response) -> str:
    return html.unescape(response.content.decode())


def desk_url(person) -> str:
    return f"{FIND}{person.public_id}/"


# --- finding people by mobile number, as typed ----------------------------------------------

TYPED = [
    "139 1111 0001",
    "139-1111-0001",
    "+86 139 1111 0001",
    "+86-139-1111-0001",
    "８６13911110001",
]


@pytest.mark.parametrize("typed", TYPED)
def test_a_mobile_number_typed_with_spaces_or_dashes_is_found(world, typed):
    page = text(page_client(world.xianlin_staff).get(FIND, {"q": typed}))
    assert desk_url(world.resident) in page and "王小明" in page
    body = intake_api(world.xianlin_staff).get("/staff/counter", {"mobile": typed}).json()
    assert body["person"] == str(world.resident.public_id)


@pytest.mark.parametrize("typed", ["139 2222 0003", "+86 139-2222-0003"])
def test_someone_from_elsewhere_is_served_by_their_mobile_typed_any_way(world, typed):
    visitor = factories.PersonFactory(
        name="赵六", mobile="13922220003", home_region=world.tree.yunhui
    )
    client = page_client(world.xianlin_staff)
    assert client.get(desk_url(visitor)).status_code == 404
    assert desk_url(visitor) in text(client.get(FIND, {"q": typed}))
    assert client.get(desk_url(visitor)).status_code == 200


def test_part_of_a_number_typed_with_a_dash_finds_people_of_the_region(world):
    page = text(page_client(world.xianlin_staff).get(FIND, {"q": "1111-0001"}))
    assert desk_url(world.resident) in page and desk_url(world.other) not in page


# --- registering someone with no account ----------------------------------------------------


def test_nobody_found_by_a_mobile_offers_to_register_them_with_it_filled_in(world):
    page = text(page_client(world.xianlin_staff).get(FIND, {"q": "139 5555 0009"}))
    assert "Nobody found" in page
    assert re.search(r'<details class="card counter-register" id="register" open>', page)
    assert 'name="mobile" value="139 5555 0009"' in page


def test_staff_register_someone_with_paper_consent_and_serve_them_at_once(world):
    client = page_client(world.xianlin_staff)
    data = {"name": "陈阿姨", "mobile": "139-5555-0009", "consent": "on"}
    response = client.post(REGISTER, data)
    person = Person.objects.get(mobile="13955550009")
    assert response.status_code == 302 and response["Location"] == desk_url(person)
    assert person.name == "陈阿姨" and person.privacy_consent_at is not None
    consent = AuditEntry.objects.get(action="person.consent_at_counter", object_id=str(person.pk))
    assert consent.actor == world.xianlin_staff and consent.data["consent"] == "paper"
    assert consent.at is not None and consent.data["at"] == "intake.counter"
    page = text(client.get(desk_url(person), follow=True))
    assert "陈阿姨 is registered; their consent on paper is recorded." in page
    # Served at once: a request filed for them at this counter.
    response = client.post(f"{desk_url(person)}xianlin/party-transfer/", FORM)
    assert response.status_code == 302
    assert ServiceRequest.objects.get().person == person


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "陈阿姨", "mobile": "13955550009"}, "consent", "tick that they agree"),
        ({"name": "", "mobile": "13955550009", "consent": "on"}, "name", "This field is required"),
        ({"name": "陈阿姨", "mobile": "12345", "consent": "on"}, "mobile", "11 digits"),
    ],
)
def test_a_registration_missing_something_says_so_and_creates_nobody(world, data, field, message):
    before = Person.objects.count()
    response = page_client(world.xianlin_staff).post(REGISTER, data)
    assert response.status_code == 400
    page = text(response)
    found = re.search(rf'<p class="error" id="id_{field}_error">([^<]*)</p>', page)
    assert found and message in found.group(1)
    assert Person.objects.count() == before
    assert not AuditEntry.objects.filter(action="person.consent_at_counter").exists()


def test_registering_a_mobile_that_has_an_account_leads_to_that_person(world):
    client = page_client(world.xianlin_staff)
    response = client.post(REGISTER, {"name": "别人", "mobile": "139 1111 0001"})
    assert response["Location"] == desk_url(world.resident)
    world.resident.refresh_from_db()
    assert world.resident.name == "王小明"  # nothing overwritten
    assert not AuditEntry.objects.filter(action="person.consent_at_counter").exists()


def test_only_staff_register_people(world):
    response = page_client(world.resident).post(
        REGISTER, {"name": "陈阿姨", "mobile": "13955550009", "consent": "on"}
    )
    assert response.status_code == 404
    assert not Person.objects.filter(mobile="13955550009").exists()


def test_the_api_registers_someone_at_the_counter(world):
    staff = intake_api(world.xianlin_staff)
    assert error(staff.post("/staff/counter/people", {"mobile": "13955550009"}), 400)["field"] == (
        "name"
    )
    missing = staff.post("/staff/counter/people", {"mobile": "13955550009", "name": "陈阿姨"})
    assert error(missing, 400)["field"] == "consent"
    payload = {"mobile": "139 5555 0009", "name": "陈阿姨", "consent": True}
    created = staff.post("/staff/counter/people", payload)
    assert created.status_code == 201, created.content
    assert created.json()["name"] == "陈阿姨" and created.json()["mobile"] == "139****0009"
    again = staff.post("/staff/counter/people", payload)
    assert again.status_code == 200 and again.json()["person"] == created.json()["person"]
    assert AuditEntry.objects.filter(action="person.consent_at_counter").count() == 1
    assert error(intake_api(world.resident).post("/staff/counter/people", payload), 404)


# --- filed and accepted in one step; the receipt --------------------------------------------


def test_a_request_filed_at_the_counter_is_accepted_in_the_same_step(
    world, sms_outbox, django_capture_on_commit_callbacks
):
    client = page_client(world.xianlin_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{desk_url(world.resident)}xianlin/party-transfer/", FORM)
    request = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/intake/r/{request.number}/receipt/"
    assert request.status == Status.ACCEPTED and request.accepted_at is not None
    events = list(request.events.values_list("action", "actor"))
    staff = world.xianlin_staff.pk
    assert events == [(RequestEvent.Action.SUBMITTED, staff), (RequestEvent.Action.ACCEPTED, staff)]
    # One text, in the person's language (Chinese by default): received and accepted.
    assert [text for _mobile, text in sms_outbox] == [
        f"【党群服务】您的申请 {request.number}（党员组织关系转接）已由党员服务窗口受理，"
        f"承诺于 {request.due_date:%Y-%m-%d} 前办结。"
    ]
    detail = text(client.get(f"/staff/intake/r/{request.number}/"))
    assert detail.count("· 闲林工作人员") == 2  # the history names the staff at both steps


def test_online_requests_still_wait_to_be_accepted(world):
    assert submit(world).status == Status.SUBMITTED


def test_the_receipt_says_what_the_person_needs(world):
    world.transfer.materials = "身份证\n党员证明"
    world.transfer.save()
    center = world.tree.xianlin_center
    center.phone = "0571-88886666"
    center.save()
    client = page_client(world.xianlin_staff)
    client.post(f"{desk_url(world.resident)}xianlin/party-transfer/", FORM)
    request = ServiceRequest.objects.get()
    page = text(client.get(f"/staff/intake/r/{request.number}/receipt/"))
    assert request.number in page and "党员组织关系转接" in page
    assert f"{request.due_date:%Y-%m-%d} (5 working days)" in page
    assert "身份证<br>党员证明" in page
    assert f"http://testserver/intake/mine/{request.number}/" in page
    assert "<svg" in page and "0571-88886666" in page
    assert "@media print" not in page  # the print rules live in the site's CSS
    assert (
        page_client(world.cangqian_staff)
        .get(f"/staff/intake/r/{request.number}/receipt/")
        .status_code
        == 404
    )


def test_the_api_files_accepts_and_gives_the_receipt(world):
    staff = intake_api(world.xianlin_staff)
    payload = {"mobile": "139 1111 0001", "item": "party-transfer", "values": GOOD_VALUES}
    body = staff.post("/staff/requests", payload).json()
    assert body["status"] == "accepted"
    receipt = staff.get(f"/staff/requests/{body['number']}/receipt").json()
    assert receipt["number"] == body["number"] and receipt["time_limit_days"] == 5
    assert receipt["progress_url"].endswith(f"/intake/mine/{body['number']}/")
    assert error(
        intake_api(world.cangqian_staff).get(f"/staff/requests/{body['number']}/receipt"), 404
    )


# --- activities at the counter --------------------------------------------------------------


def test_activities_joined_already_are_not_offered_again(world):
    center = world.tree.xianlin_center
    joined = factories.activity(center, title="智能手机课")
    other = factories.activity(center, title="书法课")
    registration_create(actor=world.resident, activity=joined, person=world.resident)
    page = text(page_client(world.xianlin_staff).get(desk_url(world.resident)))
    offered = page.split("Sign this person up for an activity")[1]
    assert str(other.public_id) in offered and str(joined.public_id) not in offered


def test_staff_read_why_someone_may_not_join_in_staff_words(world):
    elders = factories.activity(
        world.tree.xianlin_center, title="老年书法", eligible_tags=["elder"]
    )
    client = page_client(world.xianlin_staff)
    page = text(client.get(desk_url(world.resident)))
    assert "This person is not recorded as: Elder." in page
    assert "your profile" not in page
    response = client.post(
        f"/staff/activities/{elders.public_id}/sign-up/", {"person": str(world.resident.public_id)}
    )
    said = text(response)
    assert response.status_code == 400 and "This person is not recorded as: Elder." in said
    assert "your profile" not in said
    # The person themselves still read their own words.
    own = text(page_client(world.resident).get(f"/activities/{elders.public_id}/"))
    assert "Add your group on your profile" in own


# --- the photo after another field's error --------------------------------------------------


def photo(name="门牌.png"):
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.mark.parametrize("who", ["staff", "resident"])
def test_a_chosen_photo_is_asked_for_again_beside_its_field(world, who):
    if who == "staff":
        client, url = (
            page_client(world.xianlin_staff),
            f"{desk_url(world.resident)}xianlin/party-transfer/",
        )
    else:
        client, url = page_client(world.resident), "/intake/centers/xianlin/party-transfer/"
    response = client.post(url, {**FORM, "v_branch": "", "attachments": [photo()]})
    assert response.status_code == 400
    page = text(response)
    found = re.search(r'<p class="error" id="id_attachments_again">([^<]*)</p>', page)
    assert found and "Choose your file again before sending" in found.group(1)
    assert "门牌.png" in found.group(1)
    assert "id_attachments_again" in page.split('id="id_attachments"')[1].split(">")[0]
    assert not ServiceRequest.objects.exists()
    # Without a file there is nothing to ask for.
    page = text(client.post(url, {**FORM, "v_branch": ""}))
    assert "id_attachments_again" not in page
