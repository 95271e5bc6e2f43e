"""The public JSON API of the registry, over HTTP: regions, kinds of space, centers, spaces."""

import json
import re

import pytest

from dangqun.places.models import Region, SpaceKind
from tests import factories
from tests.clients import count_queries, error

pytestmark = pytest.mark.django_db

API = "/api/v1"
ERROR_KEYS = {"code", "message", "field"}
BUILTIN_KINDS = {
    "warm_current_home",
    "women_children_station",
    "livestream_studio",
    "maker_space",
    "elderly_canteen",
    "home_care",
    "childcare",
    "exhibition_hall",
    "charging_room",
    "service_hall",
    "meeting_room",
    "activity_room",
    "rest_room",
}
ALWAYS_OPEN = ["24h"] * 7
NEVER_OPEN = [""] * 7


def kind(code):
    return SpaceKind.objects.get(code=code)


def assert_error(response, status, code=None, field=None):
    body = error(response, status)
    assert isinstance(body["message"], str) and body["message"].strip()
    if code is not None:
        assert body["code"] == code
    if field is not None:
        assert body["field"] == field
    return body


# Regions


def test_regions_lists_the_whole_tree(client, district):
    response = client.get(f"{API}/regions")
    assert response.status_code == 200
    by_name = {r["name"]: r for r in response.json()}
    assert set(by_name) == {"余杭区", "闲林街道", "仓前街道", "民丰村", "云会村"}
    assert by_name["民丰村"]["parent_id"] == district.xianlin.pk
    assert by_name["民丰村"]["level"] == "village"
    assert by_name["余杭区"]["parent_id"] is None
    assert by_name["闲林街道"]["name_en"] == "Xianlin Street"


def test_regions_filter_by_level(client, district):
    response = client.get(f"{API}/regions", {"level": "street"})
    assert response.status_code == 200
    assert {r["id"] for r in response.json()} == {district.xianlin.pk, district.cangqian.pk}


def test_regions_filter_by_parent(client, district):
    response = client.get(f"{API}/regions", {"parent_id": district.cangqian.pk})
    assert response.status_code == 200
    assert [r["id"] for r in response.json()] == [district.yunhui.pk]


def test_regions_filters_combine(client, district):
    response = client.get(f"{API}/regions", {"parent_id": district.district.pk, "level": "village"})
    assert response.status_code == 200
    assert response.json() == []


def test_region_detail(client, district):
    response = client.get(f"{API}/regions/{district.minfeng.pk}")
    assert response.status_code == 200
    assert response.json() == {
        "id": district.minfeng.pk,
        "name": "民丰村",
        "name_en": "Minfeng Village",
        "level": "village",
        "parent_id": district.xianlin.pk,
    }


def test_unknown_region_is_404_with_error_body(client, district):
    missing = Region.objects.order_by("-pk").first().pk + 1000
    body = assert_error(client.get(f"{API}/regions/{missing}"), 404, code="not_found")
    assert body["field"] is None


@pytest.mark.parametrize("bad", ["abc", "1.5", "1e3"])
def test_region_id_of_wrong_type_is_422_with_error_body(client, district, bad):
    body = assert_error(client.get(f"{API}/regions/{bad}"), 422)
    assert body["field"] == "region_id"
    assert body["errors"] and all(set(e) >= ERROR_KEYS for e in body["errors"])


def test_region_id_beyond_the_databases_integers_is_404_not_500(client, district):
    # A whole number the database cannot hold names no row: not found, not a crash.
    assert_error(client.get(f"{API}/regions/{'9' * 40}"), 404, code="not_found")


def test_regions_parent_id_of_wrong_type_is_422(client, district):
    assert_error(client.get(f"{API}/regions", {"parent_id": "x"}), 422, field="parent_id")


# Kinds of space


def test_space_kinds_are_the_13_built_in_ones(client, db):
    response = client.get(f"{API}/space-kinds")
    assert response.status_code == 200
    kinds = response.json()
    assert len(kinds) == 13
    assert {k["code"] for k in kinds} == BUILTIN_KINDS
    canteen = next(k for k in kinds if k["code"] == "elderly_canteen")
    assert canteen == {"code": "elderly_canteen", "name": "老年食堂", "name_en": "Elderly canteen"}


# Centers


def test_centers_lists_every_center_with_its_region(client, district):
    response = client.get(f"{API}/centers")
    assert response.status_code == 200
    centers = {c["slug"]: c for c in response.json()}
    assert set(centers) == {"xianlin", "cangqian"}
    xianlin = centers["xianlin"]
    assert xianlin["name"] == "闲林街道党群服务中心"
    assert xianlin["region"]["id"] == district.xianlin.pk
    assert xianlin["opening_hours"] == ["08:30-17:30"] * 5 + ["", ""]
    # Decimals travel as strings, so no precision is lost to floats.
    assert (xianlin["latitude"], xianlin["longitude"]) == ("30.262400", "119.972300")
    assert xianlin["photo_url"] is None
    assert "spaces" not in xianlin


def test_centers_filter_by_street_includes_centers_of_its_villages(client, district):
    factories.CenterFactory(region=district.minfeng, slug="minfeng")
    factories.CenterFactory(region=district.yunhui, slug="yunhui")

    response = client.get(f"{API}/centers", {"street": district.xianlin.pk})
    assert response.status_code == 200
    assert {c["slug"] for c in response.json()} == {"xianlin", "minfeng"}

    response = client.get(f"{API}/centers", {"street": district.cangqian.pk})
    assert {c["slug"] for c in response.json()} == {"cangqian", "yunhui"}


def test_centers_filter_by_street_does_not_match_a_region_whose_id_starts_alike(client, district):
    # Paths are "/1/2/": a street with id 2 must not take in the street with id 27.
    lookalike_pk = int(f"{district.xianlin.pk}7")
    lookalike = Region.objects.create(
        pk=lookalike_pk,
        name="仿冒街道",
        level=Region.Level.STREET,
        parent=district.district,
        path=f"{district.district.path}{lookalike_pk}/",
    )
    factories.CenterFactory(region=lookalike, slug="lookalike")

    response = client.get(f"{API}/centers", {"street": district.xianlin.pk})
    assert {c["slug"] for c in response.json()} == {"xianlin"}


def test_centers_filter_by_kind(client, district):
    factories.SpaceFactory(center=district.xianlin_center, kind=kind("elderly_canteen"))
    factories.SpaceFactory(center=district.xianlin_center, kind=kind("maker_space"))
    factories.SpaceFactory(center=district.cangqian_center, kind=kind("charging_room"))

    response = client.get(f"{API}/centers", {"kind": "elderly_canteen"})
    assert response.status_code == 200
    assert [c["slug"] for c in response.json()] == ["xianlin"]

    # Two matching spaces in one center still list the center once.
    factories.SpaceFactory(center=district.xianlin_center, kind=kind("elderly_canteen"))
    response = client.get(f"{API}/centers", {"kind": "elderly_canteen"})
    assert [c["slug"] for c in response.json()] == ["xianlin"]

    response = client.get(f"{API}/centers", {"kind": "childcare"})
    assert response.json() == []


def test_centers_filters_combine(client, district):
    factories.SpaceFactory(center=district.cangqian_center, kind=kind("charging_room"))
    response = client.get(
        f"{API}/centers", {"street": district.xianlin.pk, "kind": "charging_room"}
    )
    assert response.status_code == 200
    assert response.json() == []
    response = client.get(
        f"{API}/centers", {"street": district.cangqian.pk, "kind": "charging_room"}
    )
    assert [c["slug"] for c in response.json()] == ["cangqian"]


def test_centers_unknown_street_is_404(client, district):
    missing = Region.objects.order_by("-pk").first().pk + 1000
    assert_error(client.get(f"{API}/centers", {"street": missing}), 404, code="not_found")


def test_centers_street_filter_rejects_a_region_that_is_not_a_street(client, district):
    for region in (district.minfeng, district.district):
        assert_error(client.get(f"{API}/centers", {"street": region.pk}), 404, code="not_found")


def test_centers_street_zero_is_not_every_center(client, district):
    # 0 names no street: it must not switch the filter off and list everything.
    assert_error(client.get(f"{API}/centers", {"street": 0}), 422, field="street")


def test_centers_unknown_kind_is_404(client, district):
    assert_error(client.get(f"{API}/centers", {"kind": "no_such_kind"}), 404, code="not_found")


def test_centers_street_of_wrong_type_is_422(client, district):
    assert_error(client.get(f"{API}/centers", {"street": "xianlin"}), 422, field="street")


def _centers_with_spaces(n_centers, region):
    kinds = list(SpaceKind.objects.filter(code__in=["maker_space", "meeting_room", "rest_room"]))
    for _i in range(n_centers):
        center = factories.CenterFactory(region=region)
        for space_kind in kinds:
            factories.SpaceFactory(center=center, kind=space_kind)


def _count_queries(client, url, params=None):
    count, response = count_queries(lambda: client.get(url, params or {}))
    assert response.status_code == 200
    return count, response


def test_centers_list_query_count_does_not_grow_with_centers(
    client, district, django_assert_max_num_queries
):
    _centers_with_spaces(2, district.xianlin)
    few, response = _count_queries(client, f"{API}/centers", {"kind": "maker_space"})
    assert len(response.json()) == 2

    _centers_with_spaces(8, district.xianlin)
    many, response = _count_queries(client, f"{API}/centers", {"kind": "maker_space"})
    assert len(response.json()) == 10
    assert many == few

    with django_assert_max_num_queries(3):
        response = client.get(f"{API}/centers", {"street": district.xianlin.pk})
    assert len(response.json()) == 11


# One center, and its spaces


def test_center_detail_has_its_spaces(client, district):
    center = district.xianlin_center
    center.opening_hours = ALWAYS_OPEN
    center.save()
    inherits = factories.SpaceFactory(
        center=center, kind=kind("warm_current_home"), name="暖流之家", opening_hours=None
    )
    own = factories.SpaceFactory(
        center=center, kind=kind("livestream_studio"), name="直播间", opening_hours=NEVER_OPEN
    )
    factories.SpaceFactory(center=district.cangqian_center, name="别处的空间")

    response = client.get(f"{API}/centers/xianlin")
    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "xianlin"
    assert body["region"]["name"] == "闲林街道"
    assert body["is_open_now"] is True
    spaces = {s["id"]: s for s in body["spaces"]}
    assert set(spaces) == {inherits.pk, own.pk}

    # A space without its own hours reports the center's, and is open when the center is.
    assert spaces[inherits.pk]["own_hours"] is False
    assert spaces[inherits.pk]["opening_hours"] == ALWAYS_OPEN
    assert spaces[inherits.pk]["is_open_now"] is True
    assert spaces[inherits.pk]["kind"]["code"] == "warm_current_home"
    assert spaces[inherits.pk]["center"] == "xianlin"

    assert spaces[own.pk]["own_hours"] is True
    assert spaces[own.pk]["opening_hours"] == NEVER_OPEN
    assert spaces[own.pk]["is_open_now"] is False


def test_center_closed_all_week_is_not_open_now(client, district):
    center = district.cangqian_center
    center.opening_hours = NEVER_OPEN
    center.save()
    space = factories.SpaceFactory(center=center, opening_hours=None)

    body = client.get(f"{API}/centers/cangqian").json()
    assert body["is_open_now"] is False
    assert body["opening_hours"] == NEVER_OPEN
    assert [(s["id"], s["is_open_now"]) for s in body["spaces"]] == [(space.pk, False)]

    # In the list too.
    listed = {c["slug"]: c for c in client.get(f"{API}/centers").json()}
    assert listed["cangqian"]["is_open_now"] is False


def test_center_detail_query_count_does_not_grow_with_spaces(client, district):
    center = district.xianlin_center
    factories.SpaceFactory(center=center)
    few, _response = _count_queries(client, f"{API}/centers/xianlin")
    for space_kind in SpaceKind.objects.all()[:6]:
        factories.SpaceFactory(center=center, kind=space_kind)
    many, response = _count_queries(client, f"{API}/centers/xianlin")
    assert len(response.json()["spaces"]) == 7
    assert many == few


def test_unknown_center_is_404(client, district):
    body = assert_error(client.get(f"{API}/centers/nowhere"), 404, code="not_found")
    assert body["field"] is None


def test_space_detail(client, district):
    space = factories.SpaceFactory(
        center=district.cangqian_center,
        kind=kind("charging_room"),
        name="24小时智能充换电间",
        name_en="24-hour smart charging room",
        capacity=12,
        opening_hours=ALWAYS_OPEN,
        is_bookable=True,
    )
    response = client.get(f"{API}/spaces/{space.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == space.pk
    assert body["center"] == "cangqian"
    assert body["name"] == "24小时智能充换电间"
    assert body["kind"] == {
        "code": "charging_room",
        "name": "智能充换电间",
        "name_en": "Smart charging room",
    }
    assert body["capacity"] == 12
    assert body["is_bookable"] is True
    assert body["own_hours"] is True
    assert body["is_open_now"] is True


def test_space_without_own_hours_reports_the_centers(client, district):
    center = district.xianlin_center
    center.opening_hours = ["09:00-12:00,13:00-17:00"] * 6 + ["24h"]
    center.save()
    space = factories.SpaceFactory(center=center, opening_hours=None)
    body = client.get(f"{API}/spaces/{space.pk}").json()
    assert body["own_hours"] is False
    assert body["opening_hours"] == center.opening_hours


def test_unknown_space_is_404_and_bad_id_is_422(client, district):
    assert_error(client.get(f"{API}/spaces/987654321"), 404, code="not_found")
    assert_error(client.get(f"{API}/spaces/first"), 422, field="space_id")


# The API's own documents


def test_openapi_document_lists_the_paths(client, db):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert re.fullmatch(r"3\.\d+(\.\d+)?", document["openapi"])
    paths = set(document["paths"])
    for path in [
        "/api/v1/regions",
        "/api/v1/regions/{region_id}",
        "/api/v1/space-kinds",
        "/api/v1/centers",
        "/api/v1/centers/{slug}",
        "/api/v1/spaces/{space_id}",
        "/api/v1/auth/code",
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/staff/persons",
        "/api/v1/staff/persons/{public_id}",
        "/api/v1/staff/persons/{public_id}/reveal",
        "/api/v1/staff/centers/{slug}",
        "/api/v1/staff/centers/{slug}/spaces",
        "/api/v1/staff/space-kinds",
    ]:
        assert path in paths, path
    assert set(document["paths"]["/api/v1/me"]) >= {"get", "patch"}


def test_docs_page_loads_nothing_from_another_host(client, db):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" in html
    references = re.findall(r"""<(?:script|link)\b[^>]*?(?:src|href)\s*=\s*["']([^"']+)""", html)
    assert references, html
    for url in references:
        assert not re.match(r"(https?:)?//", url), url


# Centers near a position (issue 13, point 12)


@pytest.fixture
def renhe(district):
    from decimal import Decimal

    return factories.CenterFactory(
        region=district.cangqian,
        slug="renhe",
        latitude=Decimal("30.433600"),
        longitude=Decimal("120.105200"),
    )


def test_centers_near_a_position_come_nearest_first_with_metres(district, renhe):
    from tests.clients import Api

    response = Api().get("/centers", {"lat": 30.4336, "lng": 120.1052})
    assert response.status_code == 200
    body = response.json()
    assert [c["slug"] for c in body][0] == "renhe"
    assert body[0]["distance_m"] == 0
    distances = [c["distance_m"] for c in body]
    assert distances == sorted(distances) and distances[-1] > 10_000


def test_centers_without_a_position_have_no_distance(district, renhe):
    from tests.clients import Api

    body = Api().get("/centers").json()
    assert {c["distance_m"] for c in body} == {None}


def test_centers_near_a_position_given_in_gcj02(district, renhe):
    from dangqun.core import geo
    from tests.clients import Api

    lat, lng = geo.wgs84_to_gcj02(30.4336, 120.1052)
    body = Api().get("/centers", {"lat": lat, "lng": lng, "coord": "gcj02"}).json()
    assert body[0]["slug"] == "renhe"
    assert body[0]["distance_m"] <= 1


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"lat": 30.4}, 400, "lng"),
        ({"lng": 120.1}, 400, "lat"),
        ({"lat": 95, "lng": 120.1}, 422, None),
        ({"lat": "abc", "lng": 120.1}, 422, None),
        ({"lat": 30.4, "lng": 120.1, "coord": "mars"}, 400, "coord"),
    ],
)
def test_centers_refuse_a_half_or_bad_position(district, params, status, field):
    from tests.clients import Api

    response = Api().get("/centers", params)
    body = assert_error(response, status)
    if field:
        assert body["field"] == field
