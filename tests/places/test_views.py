"""The public pages of centers over HTTP: the filtered list, its htmx partial, a center's page."""

import re

import pytest

from dangqun.places.models import SpaceKind
from tests import factories
from tests.clients import count_queries, page_client

pytestmark = pytest.mark.django_db

ALL_DAY = ["24h"] * 7
NEVER = [""] * 7


def _kind(code):
    return SpaceKind.objects.get(code=code)


def _card_titles(page: str) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a href="[^"]+">([^<]+)</a></h2>', page)


@pytest.fixture
def minfeng_center(district):
    return factories.CenterFactory(region=district.minfeng, slug="minfeng", name="民丰村党群服务站")


def test_list_shows_every_center(client, district, minfeng_center):
    response = client.get("/centers/")
    assert response.status_code == 200
    titles = _card_titles(response.content.decode())
    assert sorted(titles) == sorted(
        ["闲林街道党群服务中心", "新就业群体党群服务中心", "民丰村党群服务站"]
    )


def test_list_offers_the_streets_and_kinds_as_filters(client, district):
    factories.SpaceFactory(center=district.xianlin_center, kind=_kind("maker_space"))
    page = client.get("/centers/").content.decode()
    assert f'<option value="{district.xianlin.pk}">闲林街道</option>' in page
    assert f'<option value="{district.cangqian.pk}">仓前街道</option>' in page
    # Villages and the district are not streets.
    assert f'<option value="{district.minfeng.pk}"' not in page
    assert f'<option value="{district.district.pk}"' not in page
    assert '<option value="maker_space">创客空间</option>' in page


def test_street_filter_keeps_the_street_and_its_villages(client, district, minfeng_center):
    response = client.get("/centers/", {"street": district.xianlin.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert sorted(_card_titles(page)) == sorted(["闲林街道党群服务中心", "民丰村党群服务站"])
    assert f'<option value="{district.xianlin.pk}" selected>' in page


def test_street_filter_of_the_other_street(client, district, minfeng_center):
    response = client.get("/centers/", {"street": district.cangqian.pk})
    assert _card_titles(response.content.decode()) == ["新就业群体党群服务中心"]


def test_kind_filter_keeps_centers_offering_that_kind(client, district, minfeng_center):
    factories.SpaceFactory(
        center=district.cangqian_center, kind=_kind("maker_space"), name="创客空间"
    )
    factories.SpaceFactory(
        center=district.cangqian_center, kind=_kind("maker_space"), name="创客二号"
    )
    factories.SpaceFactory(center=district.xianlin_center, kind=_kind("elderly_canteen"))
    response = client.get("/centers/", {"kind": "maker_space"})
    assert response.status_code == 200
    # Two maker spaces in one center still list the center once.
    assert _card_titles(response.content.decode()) == ["新就业群体党群服务中心"]


def test_street_and_kind_filters_combine(client, district, minfeng_center):
    factories.SpaceFactory(center=district.cangqian_center, kind=_kind("maker_space"))
    factories.SpaceFactory(center=minfeng_center, kind=_kind("maker_space"))
    response = client.get("/centers/", {"street": district.xianlin.pk, "kind": "maker_space"})
    assert _card_titles(response.content.decode()) == ["民丰村党群服务站"]


def test_no_match_says_so(district):
    client = page_client()
    response = client.get("/centers/", {"kind": "childcare"})
    page = response.content.decode()
    assert _card_titles(page) == []
    assert "No center matches these filters." in page


@pytest.mark.parametrize(
    "query",
    [
        {"street": "abc"},
        {"street": "999999"},
        {"street": "-1"},
        {"street": "1.5"},
        {"street": "'; DROP TABLE places_region; --"},
        {"kind": "no-such-kind"},
        {"kind": "%00"},
        {"street": "abc", "kind": "nope"},
    ],
)
def test_unknown_filter_values_show_everything(client, district, query):
    response = client.get("/centers/", query)
    assert response.status_code == 200
    assert len(_card_titles(response.content.decode())) == 2


@pytest.mark.parametrize("query", [{"kind": "maker\x00space"}, {"street": "1\x00"}])
def test_a_nul_character_in_a_filter_is_bad_input(client, district, query):
    # PostgreSQL cannot store or compare NUL; the request is refused on both databases alike.
    response = client.get("/centers/", query)
    assert response.status_code == 400


def test_a_village_id_as_street_is_not_a_street(client, district, minfeng_center):
    response = client.get("/centers/", {"street": district.minfeng.pk})
    assert response.status_code == 200
    assert len(_card_titles(response.content.decode())) == 3


def test_htmx_request_gets_only_the_results(client, district, minfeng_center):
    response = client.get(
        "/centers/", {"street": district.cangqian.pk}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert "<form" not in page
    assert _card_titles(page) == ["新就业群体党群服务中心"]


def test_list_shows_open_and_closed_now(district):
    client = page_client()
    factories.CenterFactory(slug="always", name="全天中心", opening_hours=ALL_DAY)
    factories.CenterFactory(slug="never", name="闭馆中心", opening_hours=NEVER)
    page = client.get("/centers/").content.decode()
    always = page[page.index("全天中心") :]
    never = page[page.index("闭馆中心") :]
    assert always.index("Open now") < always.index("</li>")
    assert never.index("Closed now") < never.index("</li>")
    assert "Open now" not in never[: never.index("</li>")]


def test_list_query_count_does_not_grow_with_centers(
    client, district, django_assert_max_num_queries
):
    def add_centers(n):
        for _i in range(n):
            center = factories.CenterFactory(region=district.minfeng)
            factories.SpaceFactory(center=center, kind=_kind("maker_space"))
            factories.SpaceFactory(center=center, kind=_kind("elderly_canteen"))

    add_centers(2)
    street = {"street": district.xianlin.pk}
    few, response = count_queries(lambda: client.get("/centers/", street))
    assert response.status_code == 200
    add_centers(20)
    many, response = count_queries(lambda: client.get("/centers/", street))
    assert len(_card_titles(response.content.decode())) == 23
    assert many == few
    with django_assert_max_num_queries(6):
        client.get("/centers/", {"kind": "maker_space"})


def test_detail_shows_the_center_its_spaces_and_week(district):
    client = page_client()
    center = factories.CenterFactory(
        region=district.minfeng,
        slug="minfeng",
        name="民丰村党群服务站",
        address="余杭区闲林街道民丰村1号",
        phone="0571-88888888",
        opening_hours=["08:30-12:00,13:30-17:30"] * 5 + ["09:00-17:00", ""],
    )
    factories.SpaceFactory(center=center, kind=_kind("warm_current_home"), name="暖流之家")
    factories.SpaceFactory(center=center, kind=_kind("elderly_canteen"), name="老年食堂")
    response = client.get("/centers/minfeng/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>民丰村党群服务站</h1>" in page
    assert "余杭区闲林街道民丰村1号" in page
    assert 'href="tel:0571-88888888"' in page
    assert "暖流之家" in page and "老年食堂" in page
    assert "Warm-current home" in page  # the kind, in English
    assert "Spaces" in page
    # The whole week, Monday first, with the closed day said in words.
    assert re.search(r'<th scope="row">Monday</th><td>08:30-12:00, 13:30-17:30</td>', page)
    assert re.search(r'<th scope="row">Saturday</th><td>09:00-17:00</td>', page)
    assert re.search(r'<th scope="row">Sunday</th><td>Closed</td>', page)
    # Breadcrumbs: district › street › village.
    assert (
        page.index("Yuhang District") < page.index("Xianlin Street") < page.index("Minfeng Village")
    )
    assert "https://uri.amap.com/marker?position=" in page


def test_detail_of_a_center_open_all_week_says_open_now():
    client = page_client()
    factories.CenterFactory(slug="always", opening_hours=ALL_DAY)
    page = client.get("/centers/always/").content.decode()
    assert "Open now" in page
    assert "Closed now" not in page
    assert page.count("Open 24 hours") == 7


def test_detail_of_a_center_closed_all_week_says_closed_now():
    client = page_client()
    factories.CenterFactory(slug="never", opening_hours=NEVER)
    page = client.get("/centers/never/").content.decode()
    assert "Closed now" in page
    assert "Open now" not in page
    assert page.count("<td>Closed</td>") == 7


def test_a_space_with_its_own_hours_shows_them():
    client = page_client()
    center = factories.CenterFactory(slug="c", opening_hours=NEVER)
    own = factories.SpaceFactory(
        center=center,
        name="充换电间",
        kind=_kind("charging_room"),
        opening_hours=ALL_DAY,
    )
    plain = factories.SpaceFactory(center=center, name="会议室", kind=_kind("meeting_room"))
    page = client.get("/centers/c/").content.decode()
    own_card = page[page.index(f'id="space-{own.pk}"') :]
    own_card = own_card[: own_card.index("</li>")]
    plain_card = page[page.index(f'id="space-{plain.pk}"') :]
    plain_card = plain_card[: plain_card.index("</li>")]
    assert "Own hours" in own_card
    assert own_card.count("24 h") == 7
    # The space keeps its own hours while the center is closed.
    assert "Open now" in own_card
    assert "Own hours" not in plain_card
    assert "Closed now" in plain_card


def test_a_space_with_some_own_hours_lists_each_day():
    client = page_client()
    center = factories.CenterFactory(slug="c")
    factories.SpaceFactory(
        center=center,
        name="托育中心",
        kind=_kind("childcare"),
        opening_hours=["07:30-18:00"] * 5 + ["", ""],
    )
    page = client.get("/centers/c/").content.decode()
    assert "Own hours: " + " / ".join(["07:30-18:00"] * 5 + ["—", "—"]) in page


def test_detail_in_chinese_uses_the_chinese_names(client, district):
    page = client.get("/centers/cangqian/").content.decode()
    assert "<h1>新就业群体党群服务中心</h1>" in page
    assert "仓前街道" in page


def test_an_unknown_center_is_404(client, district):
    assert client.get("/centers/nope/").status_code == 404


def test_detail_query_count_does_not_grow_with_spaces(client, district):
    few, _response = count_queries(lambda: client.get("/centers/xianlin/"))
    for i in range(15):
        factories.SpaceFactory(center=district.xianlin_center, name=f"功能区X{i}")
    many, page = count_queries(lambda: client.get("/centers/xianlin/").content.decode())
    assert page.count('class="card space"') == 15
    assert many == few  # the spaces are read in one query, kinds joined


# --- centers near a position, kinds on offer, opened on (issue 13, point 12) -----------


@pytest.fixture
def english():
    return page_client()


@pytest.fixture
def spread(district):
    """Three centers at known places: Xianlin west, Cangqian in the middle, Renhe north-east."""
    from decimal import Decimal

    places = {
        district.xianlin_center: ("30.262400", "119.972300"),
        district.cangqian_center: ("30.293500", "119.989800"),
    }
    for center, (lat, lng) in places.items():
        center.latitude, center.longitude = Decimal(lat), Decimal(lng)
        center.save()
    renhe = factories.CenterFactory(
        region=district.cangqian,
        slug="renhe",
        name="仁和街道党群服务中心",
        latitude=Decimal("30.433600"),
        longitude=Decimal("120.105200"),
    )
    return district, renhe


def test_a_position_sorts_the_centers_nearest_first_with_distances(english, spread):
    # Standing next to the Renhe center: Renhe, then Cangqian, then Xianlin.
    page = english.get("/centers/", {"lat": "30.4330", "lng": "120.1050"}).content.decode()
    assert _card_titles(page) == ["仁和街道党群服务中心", "Cangqian Center", "Xianlin Center"]
    assert "Nearest first, from your position." in page
    assert re.search(r'<strong class="distance">\d+ m away</strong>', page)  # Renhe: metres
    assert re.search(r'<strong class="distance">\d+\.\d km away</strong>', page)
    # The position stays in the form, so changing a filter keeps the order.
    assert 'name="lat" value="30.433000"' in page


def test_standing_at_xianlin_puts_xianlin_first(english, spread):
    page = english.get("/centers/", {"lat": "30.2624", "lng": "119.9723"}).content.decode()
    assert _card_titles(page)[0] == "Xianlin Center"
    assert "0 m away" in page


def test_without_a_position_the_list_is_in_the_usual_order(english, spread):
    page = english.get("/centers/").content.decode()
    assert "Nearest first" not in page
    assert 'class="distance"' not in page
    assert len(_card_titles(page)) == 3
    # The button is there for browsers that can tell a position; hidden until script runs.
    assert "data-locate hidden" in page
    assert "places/near.js" in page


@pytest.mark.parametrize(
    "query",
    [
        {"lat": "abc", "lng": "120"},
        {"lat": "91", "lng": "120"},
        {"lat": "30.2"},
        {"lat": "NaN", "lng": "1e999"},
        {"lat": "9" * 30, "lng": "120"},
    ],
)
def test_an_unreadable_position_shows_the_list_unsorted_with_a_word(english, spread, query):
    response = english.get("/centers/", query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your position could not be read" in page
    assert len(_card_titles(page)) == 3


def test_broken_bytes_in_a_position_are_not_a_server_error(english, spread):
    response = english.get("/centers/?lat=%ED%A0%80&lng=%FF")
    assert response.status_code in (200, 400)


def test_a_position_combines_with_the_filters(english, spread):
    district, _renhe = spread
    page = english.get(
        "/centers/", {"street": district.xianlin.pk, "lat": "30.4336", "lng": "120.1052"}
    ).content.decode()
    assert _card_titles(page) == ["Xianlin Center"]


def test_the_kind_filter_offers_only_kinds_some_center_has(english, district):
    factories.SpaceFactory(center=district.xianlin_center, kind=_kind("elderly_canteen"))
    page = english.get("/centers/").content.decode()
    assert '<option value="elderly_canteen">' in page
    assert '<option value="childcare">' not in page


def test_the_center_page_says_opened_on_a_date(district):
    from datetime import date

    center = district.xianlin_center
    center.opened_on = date(2023, 2, 1)
    center.save()
    english = page_client().get(f"/centers/{center.slug}/").content.decode()
    assert "<dt>Opened on</dt>" in english
    chinese = page_client(language="zh-hans").get(f"/centers/{center.slug}/").content.decode()
    assert "<dt>开馆日期</dt>" in chinese
    assert "2023" in chinese


def test_a_street_id_past_a_thousand_is_not_written_with_a_separator(english, district):
    """English groups digits ("1,778"); an id in a form's value must stay plain, or the
    filter silently shows every center (found in the browser on a long-lived database)."""
    from dangqun.places.models import Region

    street = Region.objects.create(
        pk=12345,
        name="五常街道",
        name_en="Wuchang Street",
        level="street",
        parent=district.district,
    )
    Region.objects.filter(pk=street.pk).update(path=f"{district.district.path}12345/")
    factories.CenterFactory(region=street, slug="wuchang", name_en="Wuchang Center")
    page = english.get("/centers/").content.decode()
    assert '<option value="12345">Wuchang Street</option>' in page
    assert "12,345" not in page
    home = english.get("/").content.decode()
    assert '<option value="12345">Wuchang Street</option>' in home
    near = english.get("/centers/", {"street": "12345", "lat": "30.2", "lng": "120.0"})
    assert _card_titles(near.content.decode()) == ["Wuchang Center"]
    assert 'href="/centers/?street=12345"' in near.content.decode()
