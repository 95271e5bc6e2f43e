"""Open311 is not in the OpenAPI document, so schemathesis does not reach it: its form and
query parameters are fuzzed here with hypothesis. Whatever a client sends (text with
control characters and lone surrogates, huge numbers, dates far out, coordinates
anywhere, parameters nobody knows), the answer is never a server error and always
well-formed JSON or XML; and what is stored cannot make an answer ill-formed."""

import json
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st

from dangqun.accounts.services import api_token_create
from dangqun.intake.models import ServiceItem, ServiceRequest

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any character at all: control characters, lone surrogates, the private use area.
anything = st.text(st.characters(codec=None, exclude_categories=()), max_size=30)
controls = st.text(st.characters(min_codepoint=0, max_codepoint=0x9F), min_size=1, max_size=5)
surrogates = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1)
texts = st.one_of(
    anything,
    st.builds(lambda a, b, c: a + b + c, anything, st.one_of(controls, surrogates), anything),
    st.text(max_size=3000),  # longer than any parameter takes
)
numbers = st.one_of(
    st.integers(-(10**40), 10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1e400", "-1e400", "NaN", "inf", "1e-400", "0x1f", "９０", "30.25", ""]),
)
days = st.dates().map(lambda d: d.isoformat())  # year 1 to 9999
moments = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.sampled_from(
        [
            "0001-01-01T00:00:00Z",
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59-12:00",
            "9999-12-31T23:59:59.999999+08:00",
            "1900-06-01T08:00:00+08:00",
            "2026-02-30T00:00:00",
            "2026-11-01T00:00:00+99:00",
        ]
    ),
)
values = st.one_of(texts, numbers, days, moments)
printable = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=30)
wild = st.one_of(texts, numbers, moments)
coordinates = st.one_of(
    numbers, st.floats(-1000, 1000).map(repr), st.floats(0, 60).map(lambda f: f"{f:.9f}")
)


def form_body(data: dict[str, list[str]]) -> bytes:
    """The urlencoded body a client sends, lone surrogates included (as the bytes that
    stand for them, which are not UTF-8)."""

    def encoded(text: str) -> str:
        return quote(text.encode("utf-8", "surrogatepass"), safe="")

    return "&".join(
        f"{encoded(name)}={encoded(value)}" for name, items in data.items() for value in items
    ).encode("ascii")


def _count(what: str) -> None:
    """Counted in hypothesis' statistics (pytest --hypothesis-show-statistics)."""
    if currently_in_test_context():
        event(what)


def well_formed(response, fmt: str, sent: dict | None = None) -> None:
    assert response.status_code < 500, response.content
    _count(f"answered {response.status_code}")
    if fmt == "xml":
        assert response["Content-Type"].startswith("text/xml")
        ET.fromstring(response.content)  # raises on anything ill-formed
    else:
        assert response["Content-Type"].startswith("application/json")
        json.loads(response.content.decode("utf-8"))  # strict UTF-8, then strict JSON


@pytest.fixture
def keys(world, settings):
    # The rate limit is tested elsewhere; here every post should reach the checks.
    settings.OPEN311 = {
        **django_settings.OPEN311,
        "POSTS_PER_KEY_PER_HOUR": 10**6,
        "STAFF_POSTS_PER_KEY_PER_HOUR": 10**6,
    }
    return [
        api_token_create(person=world.resident, name="open311")[1],
        api_token_create(person=world.xianlin_staff, name="open311")[1],
    ]


@pytest.fixture
def client():
    made = Client(enforce_csrf_checks=True)
    made.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return made


WILD = {
    "lat": coordinates,
    "long": coordinates,
    "attribute[months]": numbers,
    "attribute[since]": st.one_of(days, moments, texts),
}


@st.composite
def posted(draw, keys, world):
    """The parameters of a POST: a good request for one of the services (the needed ones,
    a few optional ones), then up to two values made wild, and now and then a parameter
    nobody knows or a list where one value is taken; so that requests get past the first
    checks often enough to reach the later ones."""
    good = {
        "api_key": st.sampled_from(keys),
        "service_code": st.sampled_from(["party-transfer", "canteen-meal", "legal-advice"]),
        "attribute[branch]": printable.filter(str.strip),
        "attribute[direction]": st.sampled_from(["in", "out"]),
        "jurisdiction_id": st.just("330110"),
        "description": printable,
        "address_string": printable,
        "address_id": st.sampled_from(["xianlin", "cangqian"]),
        "lat": st.floats(29.9, 30.6).map(str),
        "long": st.floats(119.7, 120.5).map(str),
        "phone": st.sampled_from([world.resident.mobile, world.other.mobile]),
        "attribute[months]": st.integers(0, 100).map(str),
        "attribute[since]": st.dates().map(lambda d: d.isoformat()),
        "attribute[in_province]": st.sampled_from(["true", "否"]),
    }
    names = list(good)
    chosen = names[:4] + draw(st.lists(st.sampled_from(names[4:]), unique=True, max_size=5))
    body = {name: [draw(good[name])] for name in chosen}
    for name in draw(st.lists(st.sampled_from(names), unique=True, max_size=2)):
        body[name] = [draw(WILD.get(name, wild))]
    if draw(st.integers(0, 9)) == 0:
        body.update(draw(st.dictionaries(texts, st.lists(values, max_size=2), max_size=2)))
    if draw(st.integers(0, 9)) == 0:
        body["attribute[since][]"] = draw(st.lists(values, max_size=2))
    return body


@FUZZ
@given(data=st.data(), fmt=st.sampled_from(["json", "xml"]))
def test_posting_anything_never_fails(world, keys, client, data, fmt):
    body = data.draw(posted(keys, world))
    response = client.post(
        f"{BASE}/requests.{fmt}",
        data=form_body(body),
        content_type="application/x-www-form-urlencoded",
    )
    well_formed(response, fmt, body)
    if response.status_code == 200:
        number = (
            response.json()[0]["service_request_id"]
            if fmt == "json"
            else ET.fromstring(response.content).findtext("request/service_request_id")
        )
        stored = ServiceRequest.objects.get(number=number)
        for text in (stored.description, stored.address):
            assert not any(ord(c) < 32 and c not in "\t\n" for c in text)


@st.composite
def listed(draw):
    """The filters of the request list: good ones (dates of any year, which is where the
    range is checked), then up to two made wild."""
    good = {
        "start_date": st.one_of(days, moments),
        "end_date": st.one_of(days, moments),
        "status": st.sampled_from(["open", "closed", "open,closed"]),
        "service_code": st.sampled_from(["party-transfer", "legal-advice"]),
        "service_request_id": st.lists(printable, max_size=120).map(",".join),
        "jurisdiction_id": st.just("330110"),
    }
    names = list(good)
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=4))
    body = {name: [draw(good[name])] for name in chosen}
    for name in draw(st.lists(st.sampled_from([*names, "api_key"]), unique=True, max_size=2)):
        body[name] = [draw(wild)]
    return body


@FUZZ
@given(body=listed(), fmt=st.sampled_from(["json", "xml"]))
def test_listing_with_anything_never_fails(world, client, body, fmt):
    response = client.get(f"{BASE}/requests.{fmt}?{form_body(body).decode()}")
    well_formed(response, fmt, body)


@FUZZ
@given(
    # A path segment (not empty, no "/"): anything else is no Open311 address at all.
    name=texts.map(lambda t: t.replace("/", "")).filter(bool),
    resource=st.sampled_from(["services", "requests", "tokens"]),
    fmt=st.sampled_from(["json", "xml"]),
)
def test_any_path_never_fails(world, client, name, resource, fmt):
    path = quote(name.encode("utf-8", "surrogatepass"), safe="")
    response = client.get(f"{BASE}/{resource}/{path}.{fmt}")
    assert response.status_code in (200, 400, 404), response.content
    if "\x00" in name:  # the middleware refuses a NUL in any path (its HTML 400)
        assert response.status_code == 400
        return
    well_formed(response, fmt)


# --- what was stored before the text rule ----------------------------------------------------

# Every control character a database stores (PostgreSQL refuses NUL in text).
STORED = "".join(chr(c) for c in range(1, 32)) + "\x7f\x85\ufffe\uffff"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_services_stay_well_formed_whatever_a_name_holds(world, client, fmt):
    ServiceItem.objects.filter(pk=world.transfer.pk).update(
        name=f"党员{STORED}转接", name_en=f"Party{STORED}transfer", description=STORED
    )
    for path in ("services", "services/party-transfer", "discovery"):
        response = client.get(f"{BASE}/{path}.{fmt}")
        assert response.status_code == 200
        well_formed(response, fmt)
    listed = client.get(f"{BASE}/services.{fmt}").content.decode()
    assert "<service_code>party-transfer<" in listed or '"party-transfer"' in listed


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_requests_stay_well_formed_whatever_a_row_holds(world, client, fmt):
    request = factories_request(world)
    ServiceRequest.objects.filter(pk=request.pk).update(description=STORED, address=STORED)
    key = api_token_create(person=world.resident, name="open311")[1]
    for path in (f"requests/{request.number}", "requests"):
        response = client.get(f"{BASE}/{path}.{fmt}?api_key={key}")
        assert response.status_code == 200
        well_formed(response, fmt)


def factories_request(world):
    from dangqun.intake import services

    return services.request_submit(
        actor=world.resident,
        person=world.resident,
        item=world.legal,
        channel="online",
        values={},
        description="咨询",
    )


# core's UnstorableInputMiddleware leaves /open311/ to Open311's own check (its error format,
# naming the parameter), as it leaves /api/ to the API's parser.
AT_THE_DOOR_CASES = [
    (parameter, value, "control character")
    for parameter, value in [
        ("description", "a\x01b"),
        ("address_string", "路\x0b口"),
        ("service_code", "party-transfer\x00"),
        ("api_key", "k\x7f"),
    ]
]


@pytest.mark.parametrize(
    ("parameter", "value", "said"),
    [
        *AT_THE_DOOR_CASES,
        ("description", "x" * 2001, "At most 2000 characters"),
        ("address_id", "x" * 61, "At most 60 characters"),
        ("attribute[branch]", "支" * 501, "At most 500 characters"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_parameter_that_breaks_the_text_rule_is_400_naming_it(
    world, keys, client, parameter, value, said, fmt
):
    body = {"api_key": [keys[0]], "service_code": ["party-transfer"], parameter: [value]}
    response = client.post(
        f"{BASE}/requests.{fmt}",
        data=form_body(body),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400, response.content
    well_formed(response, fmt)
    description = (
        response.json()[0]["description"]
        if fmt == "json"
        else ET.fromstring(response.content).findtext("error/description")
    )
    assert description.startswith(f"{parameter}: ") and said in description
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_path_with_a_control_character_is_400_in_the_format_asked(world, client, fmt):
    response = client.get(f"{BASE}/services/party%01transfer.{fmt}")
    assert response.status_code == 400
    well_formed(response, fmt)
    assert "code: This text contains a control character" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("start_date=0001-01-01", "start_date: Enter a date and time from 1901-01-01"),
        ("end_date=9999-12-31T23:59:59-12:00", "end_date: Enter a date and time from"),
        ("start_date=1900-06-01T08:00:00%2B08:00", "start_date: Enter a date and time"),
    ],
)
def test_dates_far_out_are_400_naming_the_parameter(world, client, query, said):
    response = client.get(f"{BASE}/requests.json?{query}")
    assert response.status_code == 400, response.content
    assert response.json()[0]["description"].startswith(said)


@pytest.mark.parametrize(
    ("lat", "lng", "named"),
    [("0", "120.0", "lat"), ("30.3", "0", "long"), ("-45", "-170", "lat")],
)
def test_a_place_outside_the_area_is_400_naming_it(world, keys, client, lat, lng, named):
    response = client.post(
        f"{BASE}/requests.json",
        {"api_key": keys[0], "service_code": "legal-advice", "lat": lat, "long": lng},
    )
    assert response.status_code == 400, response.content
    assert response.json()[0]["description"].startswith(f"{named}: ")


def test_a_date_attribute_far_out_is_400_naming_it(world, keys, client):
    values = {"branch": "支部", "direction": "in"}
    for since in ("0001-01-01", "9999-12-31T23:00:00Z"):
        response = client.post(
            f"{BASE}/requests.json",
            {
                "api_key": keys[0],
                "service_code": "party-transfer",
                **{f"attribute[{k}]": v for k, v in values.items()},
                "attribute[since]": since,
            },
        )
        assert response.status_code == 400, response.content
        assert response.json()[0]["description"].startswith("attribute[since]: ")
