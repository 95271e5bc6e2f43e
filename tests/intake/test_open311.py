"""Open311 GeoReport v2 at /open311/v2/ over HTTP, in JSON and XML: services, service
definitions, POST requests (api_key, attributes, location, on someone's behalf, rate
limit), the request list and its filters, one request, tokens, jurisdiction and errors."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from dangqun.accounts.services import api_token_create
from dangqun.intake import services
from dangqun.intake.models import ServiceRequest
from tests import factories
from tests.intake.conftest import GOOD_VALUES, submit

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
REQUEST_ELEMENTS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def key(person) -> str:
    return api_token_create(person=person, name="open311")[1]


@pytest.fixture
def client():
    # Open311 clients have no session and no CSRF token; English wording for the asserts.
    made = Client(enforce_csrf_checks=True)
    made.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return made


def attributes(values: dict) -> dict:
    return {f"attribute[{code}]": value for code, value in values.items()}


def post(client, fmt="json", **data):
    return client.post(f"{BASE}/requests.{fmt}", data)


def xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.fromstring(response.content)


def json_error(response, status: int) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body, list) and body
    assert set(body[0]) == {"code", "description"} and body[0]["code"] == status
    return body[0]["description"]


def xml_error(response, status: int) -> str:
    assert response.status_code == status, response.content
    root = xml(response)
    assert root.tag == "errors"
    error = root.find("error")
    assert error.findtext("code") == str(status)
    return error.findtext("description")


@pytest.fixture
def filed(world, client):
    """A transfer request by the resident through Open311."""
    response = post(
        client,
        api_key=key(world.resident),
        service_code="party-transfer",
        description="从上城区转入",
        **attributes(GOOD_VALUES),
    )
    assert response.status_code == 200, response.content
    return ServiceRequest.objects.get(number=response.json()[0]["service_request_id"])


# --- services -------------------------------------------------------------------------------


def test_service_list_json(world, client):
    factories.service_item(world.tree.xianlin_center, code="counter-only", online=False)
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    services_ = {s["service_code"]: s for s in response.json()}
    assert set(services_) == {"party-transfer", "canteen-meal", "legal-advice"}
    transfer = services_["party-transfer"]
    assert set(transfer) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert transfer["metadata"] is True and transfer["type"] == "realtime"
    assert transfer["group"] == "Party-member services"
    assert services_["canteen-meal"]["metadata"] is False


def test_service_list_xml(world, client):
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    entries = root.findall("service")
    assert len(entries) == 3
    codes = {e.findtext("service_code") for e in entries}
    assert codes == {"party-transfer", "canteen-meal", "legal-advice"}
    transfer = next(e for e in entries if e.findtext("service_code") == "party-transfer")
    assert transfer.findtext("metadata") == "true"
    assert transfer.findtext("service_name") == "党员组织关系转接"


def test_service_definition_json(world, client):
    body = client.get(f"{BASE}/services/party-transfer.json").json()
    assert body["service_code"] == "party-transfer"
    attrs = {a["code"]: a for a in body["attributes"]}
    assert [a["order"] for a in body["attributes"]] == [1, 2, 3, 4, 5]
    assert {c: a["datatype"] for c, a in attrs.items()} == {
        "branch": "string",
        "months": "number",
        "since": "datetime",
        "direction": "singlevaluelist",
        "in_province": "singlevaluelist",
    }
    assert attrs["branch"]["required"] is True and attrs["months"]["required"] is False
    assert attrs["branch"]["variable"] is True
    assert attrs["branch"]["description"] == "现所在党支部"
    assert attrs["direction"]["values"] == [
        {"key": "in", "name": "转入"},
        {"key": "out", "name": "转出"},
    ]
    assert [v["key"] for v in attrs["in_province"]["values"]] == ["true", "false"]
    assert attrs["since"]["datatype_description"]
    assert "values" not in attrs["branch"]


def test_service_definition_xml(world, client):
    root = xml(client.get(f"{BASE}/services/party-transfer.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "party-transfer"
    attrs = root.find("attributes").findall("attribute")
    assert len(attrs) == 5
    direction = next(a for a in attrs if a.findtext("code") == "direction")
    for name in ("variable", "code", "datatype", "required", "datatype_description", "order"):
        assert direction.find(name) is not None, name
    assert direction.findtext("required") == "true"
    values = direction.find("values").findall("value")
    assert [(v.findtext("key"), v.findtext("name")) for v in values] == [
        ("in", "转入"),
        ("out", "转出"),
    ]
    empty = xml(client.get(f"{BASE}/services/canteen-meal.xml"))
    assert empty.find("attributes") is not None and not list(empty.find("attributes"))


def test_unknown_service_code_is_404(world, client):
    assert "service_code" in json_error(client.get(f"{BASE}/services/nope.json"), 404)
    assert "service_code" in xml_error(client.get(f"{BASE}/services/nope.xml"), 404)
    response = post(client, api_key=key(world.resident), service_code="nope")
    assert "service_code" in json_error(response, 404)
    assert client.get(f"{BASE}/services.csv").status_code == 404


def test_discovery(world, client):
    body = client.get(f"{BASE}/discovery.json").json()
    assert body["endpoints"][0]["url"].endswith("/open311/v2/")
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert root.find("endpoints/endpoint/formats/format").text == "application/json"


# --- POST requests ----------------------------------------------------------------------------


def test_post_json_files_a_request_for_the_keys_person(
    world, client, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            api_key=key(world.resident),
            jurisdiction_id="330110",
            service_code="party-transfer",
            description="从上城区转入",
            **attributes({**GOOD_VALUES, "since": "2010-07-01T00:00:00+08:00"}),
        )
    assert response.status_code == 200, response.content
    [body] = response.json()
    assert set(body) == {"service_request_id", "token", "service_notice", "account_id"}
    request = ServiceRequest.objects.get(number=body["service_request_id"])
    assert body["token"] == request.token
    assert body["account_id"] == str(world.resident.public_id)
    assert "5 working days" in body["service_notice"]
    assert request.channel == "open311"
    assert request.person == world.resident and request.submitted_by == world.resident
    assert request.values == {
        "branch": "民丰村党支部",
        "direction": "in",
        "months": 6,
        "in_province": True,
        "since": "2010-07-01",
    }
    assert request.center == world.tree.xianlin_center
    assert [m for m, _text in sms_outbox] == ["13911110001"]


def test_post_xml(world, client):
    response = post(
        client,
        "xml",
        api_key=key(world.resident),
        service_code="party-transfer",
        **attributes(GOOD_VALUES),
    )
    assert response.status_code == 200
    root = xml(response)
    assert root.tag == "service_requests"
    request = root.find("request")
    number = request.findtext("service_request_id")
    assert ServiceRequest.objects.filter(number=number, person=world.resident).exists()
    assert request.findtext("token") and request.findtext("service_notice")


def test_a_missing_required_attribute_is_named(world, client):
    values = {k: v for k, v in GOOD_VALUES.items() if k != "branch"}
    data = {"api_key": key(world.resident), "service_code": "party-transfer", **attributes(values)}
    assert "attribute[branch]" in json_error(post(client, **data), 400)
    assert "attribute[branch]" in xml_error(post(client, "xml", **data), 400)
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"attribute[direction]": "sideways"}, "attribute[direction]"),
        ({"attribute[months]": "six"}, "attribute[months]"),
        ({"attribute[since]": "yesterday"}, "attribute[since]"),
        ({"attribute[colour]": "red"}, "attribute[colour]"),
        ({"attribute[direction][]": "in"}, "attribute[direction][]"),
    ],
)
def test_bad_attributes_are_refused(world, client, extra, named):
    data = {"api_key": key(world.resident), "service_code": "party-transfer"}
    data.update(attributes(GOOD_VALUES))
    data.update(extra)
    assert named in json_error(post(client, **data), 400)
    assert not ServiceRequest.objects.exists()


def test_a_bad_or_missing_api_key_is_403(world, client):
    data = {"service_code": "party-transfer", **attributes(GOOD_VALUES)}
    assert "api_key" in json_error(post(client, **data), 403)
    assert "api_key" in xml_error(post(client, "xml", api_key="dq_wrong", **data), 403)
    revoked_person = factories.PersonFactory()
    secret = key(revoked_person)
    revoked_person.api_tokens.update(revoked_at=timezone.now())
    assert "api_key" in json_error(post(client, api_key=secret, **data), 403)
    # A given key is checked on reads too.
    assert client.get(f"{BASE}/requests.json", {"api_key": "dq_wrong"}).status_code == 403
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize(
    ("location", "named"),
    [
        ({"lat": "200", "long": "120.0"}, "lat"),
        ({"lat": "30.27", "long": "east"}, "long"),
        ({"lat": "30.27"}, "lat, long"),
        ({"long": "120.0"}, "lat, long"),
    ],
)
def test_bad_lat_long_is_400(world, client, location, named):
    data = {"api_key": key(world.resident), "service_code": "canteen-meal", **location}
    assert json_error(post(client, **data), 400).startswith(named)
    assert xml_error(post(client, "xml", **data), 400).startswith(named)
    assert not ServiceRequest.objects.exists()


def test_a_location_is_required_where_the_item_says_so(world, client):
    api_key = key(world.resident)
    assert "location" in json_error(post(client, api_key=api_key, service_code="canteen-meal"), 400)
    # Latitude and longitude are WGS-84 and stored as given.
    by_point = post(
        client, api_key=api_key, service_code="canteen-meal", lat="30.290512", long="119.965601"
    )
    assert by_point.status_code == 200, by_point.content
    request = ServiceRequest.objects.get(number=by_point.json()[0]["service_request_id"])
    assert (request.lat, request.lng) == (Decimal("30.290512"), Decimal("119.965601"))
    # An address alone is a location too.
    by_address = post(
        client, api_key=api_key, service_code="canteen-meal", address_string="仓前街道云会村12号"
    )
    assert by_address.status_code == 200, by_address.content
    request = ServiceRequest.objects.get(number=by_address.json()[0]["service_request_id"])
    assert (request.address, request.lat) == ("仓前街道云会村12号", None)
    # The catalogue item itself is unchanged.
    world.canteen.refresh_from_db()
    assert world.canteen.location_required is True


def test_a_location_is_optional_elsewhere(world, client):
    response = post(
        client,
        api_key=key(world.resident),
        service_code="party-transfer",
        **attributes(GOOD_VALUES),
    )
    assert response.status_code == 200
    assert ServiceRequest.objects.get().lat is None


def test_address_id_is_a_center_for_items_of_the_whole_district(world, client):
    response = post(
        client, api_key=key(world.resident), service_code="legal-advice", address_id="cangqian"
    )
    assert response.status_code == 200, response.content
    request = ServiceRequest.objects.get()
    assert request.center == world.tree.cangqian_center
    assert request.lat == world.tree.cangqian_center.latitude
    bad = post(client, api_key=key(world.resident), service_code="legal-advice", address_id="x")
    assert "address_id" in json_error(bad, 400)
    # A center's own item cannot be sent to another center.
    other = post(
        client,
        api_key=key(world.resident),
        service_code="party-transfer",
        address_id="cangqian",
        **attributes(GOOD_VALUES),
    )
    assert "address_id" in json_error(other, 400)


def test_lat_long_picks_the_nearest_center_for_items_of_the_whole_district(world, client):
    world.tree.xianlin_center.latitude, world.tree.xianlin_center.longitude = (
        Decimal("30.2400"),
        Decimal("119.9000"),
    )
    world.tree.xianlin_center.save()
    world.tree.cangqian_center.latitude, world.tree.cangqian_center.longitude = (
        Decimal("30.3000"),
        Decimal("119.9900"),
    )
    world.tree.cangqian_center.save()
    response = post(
        client,
        api_key=key(world.resident),
        service_code="legal-advice",
        lat="30.2410",
        long="119.9010",
    )
    assert response.status_code == 200, response.content
    assert ServiceRequest.objects.get().center == world.tree.xianlin_center


def test_staff_file_on_behalf_of_a_signed_up_person(world, client):
    world.resident.privacy_consent_at = timezone.now()
    world.resident.save()
    response = post(
        client,
        api_key=key(world.xianlin_staff),
        service_code="party-transfer",
        phone="139 1111 0001",
        **attributes(GOOD_VALUES),
    )
    assert response.status_code == 200, response.content
    request = ServiceRequest.objects.get()
    assert request.person == world.resident and request.submitted_by == world.xianlin_staff
    assert response.json()[0]["account_id"] == str(world.resident.public_id)


def test_nobody_is_created_or_used_without_consent(world, client):
    data = {
        "api_key": key(world.xianlin_staff),
        "service_code": "party-transfer",
        **attributes(GOOD_VALUES),
    }
    # The resident never accepted the privacy notice (entered by staff, say).
    assert "phone" in json_error(post(client, phone="13911110001", **data), 400)
    assert "phone" in json_error(post(client, phone="13999999999", **data), 400)
    assert "phone" in json_error(post(client, phone="12345", **data), 400)
    assert not ServiceRequest.objects.exists()
    assert not type(world.resident).objects.filter(mobile="13999999999").exists()


def test_only_staff_of_the_center_file_for_others(world, client):
    world.other.privacy_consent_at = timezone.now()
    world.other.save()
    data = {"service_code": "party-transfer", "phone": "13911110002", **attributes(GOOD_VALUES)}
    response = post(client, api_key=key(world.resident), **data)
    assert "phone" in json_error(response, 403)
    response = post(client, api_key=key(world.cangqian_staff), **data)
    assert "api_key" in xml_error(
        post(client, "xml", api_key=key(world.cangqian_staff), **data), 403
    )
    assert response.status_code == 403
    assert not ServiceRequest.objects.exists()


def test_posting_is_limited_per_key(world, client, settings):
    settings.OPEN311 = {**settings.OPEN311, "POSTS_PER_KEY_PER_HOUR": 2}
    data = {
        "api_key": key(world.resident),
        "service_code": "party-transfer",
        **attributes(GOOD_VALUES),
    }
    assert post(client, **data).status_code == 200
    assert post(client, **data).status_code == 200
    assert "api_key" in json_error(post(client, **data), 429)
    assert ServiceRequest.objects.count() == 2


def test_jurisdiction(world, client):
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "330110"}).status_code == 200
    assert "jurisdiction_id" in json_error(
        client.get(f"{BASE}/services.json", {"jurisdiction_id": "sf.gov"}), 404
    )
    assert "jurisdiction_id" in xml_error(
        client.get(f"{BASE}/requests.xml", {"jurisdiction_id": "sf.gov"}), 404
    )
    response = post(
        client,
        api_key=key(world.resident),
        jurisdiction_id="sf.gov",
        service_code="party-transfer",
        **attributes(GOOD_VALUES),
    )
    assert "jurisdiction_id" in json_error(response, 404)
    assert not ServiceRequest.objects.exists()


# --- reading requests ---------------------------------------------------------------------------


def _canteen(world, client) -> ServiceRequest:
    response = post(
        client,
        api_key=key(world.other),
        service_code="canteen-meal",
        description="每天午餐一份",
        address_string="云会村5组",
        lat="30.3",
        long="119.99",
    )
    assert response.status_code == 200, response.content
    return ServiceRequest.objects.get(number=response.json()[0]["service_request_id"])


def test_the_public_list_has_no_personal_data(world, client, filed):
    canteen = _canteen(world, client)
    response = client.get(f"{BASE}/requests.json")
    assert response.status_code == 200
    body = response.json()
    assert [r["service_request_id"] for r in body] == [canteen.number, filed.number]
    for entry in body:
        assert list(entry) == REQUEST_ELEMENTS
        assert entry["description"] == entry["address"] == entry["status_notes"] == ""
        assert entry["lat"] is None and entry["long"] is None
    text = response.content.decode()
    for secret in ("王小明", "李华", "13911110001", "13911110002", "从上城区", "云会村5组"):
        assert secret not in text
    transfer = body[1]
    assert transfer["status"] == "open"
    assert transfer["service_code"] == "party-transfer"
    assert transfer["agency_responsible"] == "Xianlin Center 党员服务窗口"
    assert transfer["requested_datetime"].endswith("+08:00")
    assert transfer["expected_datetime"] == f"{filed.due_date:%Y-%m-%d}T23:59:59+08:00"


def test_the_person_and_their_centers_staff_read_in_full(world, client, filed):
    canteen = _canteen(world, client)
    own = client.get(f"{BASE}/requests.json", {"api_key": key(world.resident)}).json()
    by_number = {r["service_request_id"]: r for r in own}
    assert by_number[filed.number]["description"] == "从上城区转入"
    assert by_number[canteen.number]["description"] == ""  # someone else's
    staff = client.get(f"{BASE}/requests.json", {"api_key": key(world.cangqian_staff)}).json()
    by_number = {r["service_request_id"]: r for r in staff}
    assert by_number[canteen.number]["description"] == "每天午餐一份"
    assert by_number[canteen.number]["address"] == "云会村5组"
    assert (by_number[canteen.number]["lat"], by_number[canteen.number]["long"]) == (30.3, 119.99)
    assert by_number[filed.number]["description"] == ""  # Xianlin's, not theirs
    text = client.get(f"{BASE}/requests.json", {"api_key": key(world.cangqian_staff)}).content
    assert "李华".encode() not in text and b"13911110002" not in text


def test_the_list_in_xml(world, client, filed):
    root = xml(client.get(f"{BASE}/requests.xml", {"api_key": key(world.resident)}))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [child.tag for child in request] == REQUEST_ELEMENTS
    assert request.findtext("service_request_id") == filed.number
    assert request.findtext("status") == "open"
    assert request.findtext("description") == "从上城区转入"


def test_statuses_and_status_notes(world, client, filed):
    canteen = _canteen(world, client)
    services.request_accept(actor=world.xianlin_staff, request=filed, note="材料齐全")
    services.request_reject(actor=world.cangqian_staff, request=canteen, reason="不在服务范围")
    api_key = key(world.street_admin)  # Xianlin's street admin

    def fetch(**params):
        return client.get(f"{BASE}/requests.json", {"api_key": api_key, **params}).json()

    assert [r["service_request_id"] for r in fetch(status="open")] == [filed.number]
    assert [r["service_request_id"] for r in fetch(status="closed")] == [canteen.number]
    assert len(fetch(status="open,closed")) == 2
    [accepted] = fetch(service_request_id=filed.number)
    assert (accepted["status"], accepted["status_notes"]) == ("open", "材料齐全")
    canteen.refresh_from_db()
    rejected = client.get(
        f"{BASE}/requests/{canteen.number}.json", {"api_key": key(world.other)}
    ).json()[0]
    assert (rejected["status"], rejected["status_notes"]) == ("closed", "不在服务范围")
    assert rejected["updated_datetime"] == timezone.localtime(canteen.closed_at).isoformat(
        timespec="seconds"
    )
    assert "status" in json_error(client.get(f"{BASE}/requests.json", {"status": "done"}), 400)


def test_filters(world, client, filed):
    canteen = _canteen(world, client)

    def numbers(**params):
        response = client.get(f"{BASE}/requests.json", params)
        assert response.status_code == 200, response.content
        return [r["service_request_id"] for r in response.json()]

    assert numbers(service_code="canteen-meal") == [canteen.number]
    assert numbers(service_request_id=f"{filed.number},{canteen.number}") == [
        canteen.number,
        filed.number,
    ]
    # service_request_id overrides the other filters.
    assert numbers(service_request_id=filed.number, service_code="canteen-meal") == [filed.number]
    # An old request is outside the default 90 days, inside an explicit range.
    ServiceRequest.objects.filter(pk=filed.pk).update(
        submitted_at=timezone.now() - timedelta(days=100)
    )
    assert numbers() == [canteen.number]
    old = timezone.localtime(timezone.now() - timedelta(days=100))
    start = (old - timedelta(days=1)).isoformat(timespec="seconds")
    end = (old + timedelta(days=1)).isoformat(timespec="seconds")
    assert numbers(start_date=start, end_date=end) == [filed.number]
    assert numbers(start_date=start) == [filed.number]  # start plus 90 days
    assert numbers(start_date=f"{old:%Y-%m-%d}", end_date=f"{old:%Y-%m-%d}") == [filed.number]
    too_long = {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-06-01T00:00:00+08:00"}
    assert "90 days" in json_error(client.get(f"{BASE}/requests.json", too_long), 400)
    assert "start_date" in xml_error(client.get(f"{BASE}/requests.xml", {"start_date": "x"}), 400)
    assert "service_code" in json_error(
        client.get(f"{BASE}/requests.json", {"service_code": "nope"}), 404
    )


def test_the_list_costs_the_same_queries_for_more_requests(
    world, client, filed, django_assert_max_num_queries
):
    api_key = key(world.xianlin_staff)
    client.get(f"{BASE}/requests.json", {"api_key": api_key})
    with django_assert_max_num_queries(8) as few:
        client.get(f"{BASE}/requests.json", {"api_key": api_key})
    for _n in range(5):
        submit(world, channel="open311", description="再来一次")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"{BASE}/requests.json", {"api_key": api_key})
    assert len(response.json()) == 6


def test_one_request(world, client, filed):
    [entry] = client.get(f"{BASE}/requests/{filed.number}.json").json()
    assert entry["service_request_id"] == filed.number and entry["description"] == ""
    [entry] = client.get(
        f"{BASE}/requests/{filed.number}.json", {"api_key": key(world.resident)}
    ).json()
    assert entry["description"] == "从上城区转入"
    root = xml(client.get(f"{BASE}/requests/{filed.number}.xml"))
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == filed.number
    assert "service_request_id" in json_error(client.get(f"{BASE}/requests/YH-1.json"), 404)
    assert "service_request_id" in xml_error(client.get(f"{BASE}/requests/YH-1.xml"), 404)


def test_token(world, client, filed):
    body = client.get(f"{BASE}/tokens/{filed.token}.json").json()
    assert body == [{"service_request_id": filed.number, "token": filed.token}]
    root = xml(client.get(f"{BASE}/tokens/{filed.token}.xml"))
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == filed.number
    assert root.find("request/token").text == filed.token
    assert "token" in json_error(client.get(f"{BASE}/tokens/nope.json"), 404)
    assert "token" in xml_error(client.get(f"{BASE}/tokens/nope.xml"), 404)


def test_other_methods_are_refused(world, client):
    assert client.post(f"{BASE}/services.json").status_code == 405
    assert client.delete(f"{BASE}/requests.json").status_code == 405


def test_the_service_list_costs_the_same_queries_for_more_items(
    world, client, django_assert_max_num_queries
):
    client.get(f"{BASE}/services.json")
    with django_assert_max_num_queries(3) as few:
        client.get(f"{BASE}/services.json")
    for n in range(5):
        factories.service_item(world.tree.xianlin_center, code=f"more-{n}", fields=[])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{BASE}/services.json").json()) == 8
