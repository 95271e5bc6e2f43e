"""The words of the pages: one English word that means two things gets two Chinese words,
English pages name the district, streets, centers and kinds of space in English, and the
profile keeps API tokens out of a resident's way."""

import re
from datetime import date

import pytest
from django.test import Client
from django.utils import translation

from dangqun.accounts.forms import ProfileForm
from dangqun.bookings.forms import SearchForm
from dangqun.intake.forms import FieldRowForm, ItemForm
from dangqun.people.models import StaffRole
from dangqun.places.models import SpaceKind
from dangqun.riders.forms import CoverageForm, ReachForm
from tests import factories
from tests.clients import page_client

HAN = re.compile(r"[\u4e00-\u9fff]")


def english_client() -> Client:
    return page_client(language="en")


def chinese_client() -> Client:
    return page_client(language="zh-hans")


def between(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


def options(page: str, name: str) -> list[str]:
    return re.findall(r">([^<]*)</option>", between(page, f'name="{name}"', "</select>"))


# --- one English word, two meanings ----------------------------------------------------------


def label(field) -> str:
    return str(field.label)


def test_travel_mode_is_not_a_check_in_method():
    with translation.override("zh-hans"):
        assert label(ReachForm().fields["mode"]) == "出行方式"
        assert label(CoverageForm.base_fields["mode"]) == "出行方式"
        assert translation.pgettext("check-in method", "How") == "签到方式"


def test_a_person_has_a_name_and_a_service_item_a_title():
    with translation.override("zh-hans"):
        assert label(ProfileForm().fields["name"]) == "姓名"
        item = ItemForm(owners=[])
        assert label(item.fields["name"]) == "事项名称"
        # The codes of an item and of its fields are identifiers, not check-in codes.
        assert label(item.fields["code"]) == "代码"
        assert label(FieldRowForm().fields["code"]) == "代码"


def test_people_asked_for_a_booking_are_a_headcount():
    with translation.override("zh-hans"):
        assert label(SearchForm().fields["people"]) == "人数"
        assert translation.gettext("People") == "人员"  # the back office's list of people


@pytest.mark.django_db
def test_a_center_page_gives_its_opening_date(district):
    center = district.xianlin_center
    center.opened_on = date(2021, 7, 1)
    center.save()
    page = chinese_client().get(f"/centers/{center.slug}/").content.decode()
    assert "开馆日期" in page
    assert "开馆时间" not in page


@pytest.mark.django_db
def test_the_riders_map_asks_how_you_travel():
    page = chinese_client().get("/riders/map/").content.decode()
    assert "出行方式" in page
    assert "签到方式" not in page


@pytest.mark.django_db
def test_the_staff_sign_in_sheet_asks_for_names_and_check_in_codes(district):
    staff = factories.staff(StaffRole.Role.CENTER_STAFF, district.xianlin, district.xianlin_center)
    activity = factories.activity(district.xianlin_center, title="亲子阅读会")
    session = activity.sessions.first()
    page = page_client(staff, language="zh-hans").get(
        f"/staff/activities/{activity.public_id}/sheet/?session={session.pk}"
    )
    table = between(page.content.decode(), "<thead>", "</thead>")
    assert ">姓名<" in table
    assert ">签到码<" in table


# --- full-width colons in Chinese titles --------------------------------------------------------


@pytest.mark.django_db
def test_a_chinese_heading_with_a_name_uses_a_full_width_colon(district):
    space = factories.SpaceFactory(
        center=district.xianlin_center, name="多功能厅", is_bookable=True
    )
    client = page_client(factories.PersonFactory(), language="zh-hans")
    page = client.get(f"/bookings/spaces/{space.pk}/new/")
    heading = between(page.content.decode(), "<h1>", "</h1>")
    assert "：" in heading and ":" not in heading
    assert "多功能厅" in heading


# --- English pages in English ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_district_is_named_in_the_language_shown():
    english = english_client().get("/").content.decode()
    assert "Yuhang District" in between(english, "<title>", "</title>")
    assert "Yuhang District" in between(english, '<footer class="site-footer">', "</footer>")
    assert "余杭区" not in english
    chinese = chinese_client().get("/").content.decode()
    assert "余杭区" in between(chinese, '<footer class="site-footer">', "</footer>")
    assert "Yuhang District" not in chinese


@pytest.mark.django_db
def test_without_an_english_district_name_the_chinese_one_is_kept(settings):
    settings.DISTRICT_NAME_EN = ""
    english = english_client().get("/").content.decode()
    assert "余杭区" in between(english, '<footer class="site-footer">', "</footer>")


@pytest.mark.django_db
def test_the_booking_search_names_streets_and_kinds_in_english(district):
    SpaceKind.objects.update_or_create(
        code="maker_space", defaults={"name": "创客空间", "name_en": "Maker space"}
    )
    page = english_client().get("/bookings/search/").content.decode()
    streets, kinds = options(page, "street"), options(page, "kind")
    assert "Xianlin Street" in streets and "Cangqian Street" in streets
    assert "Maker space" in kinds
    assert not [o for o in streets + kinds if HAN.search(o)]
    chinese = chinese_client().get("/bookings/search/").content.decode()
    assert "闲林街道" in between(chinese, 'name="street"', "</select>")


@pytest.mark.django_db
def test_a_place_without_an_english_name_keeps_its_chinese_one(district):
    district.xianlin.name_en = ""
    district.xianlin.save()
    with translation.override("en"):
        assert str(district.xianlin) == "闲林街道"
        assert str(district.cangqian) == "Cangqian Street"
        assert str(district.cangqian_center) == "Cangqian Center"
    with translation.override("zh-hans"):
        assert str(district.cangqian) == "仓前街道"


@pytest.mark.django_db
def test_the_profile_names_home_regions_in_english(district):
    client = page_client(factories.PersonFactory(), language="en")
    page = client.get("/accounts/me/").content.decode()
    regions = options(page, "home_region")
    assert "Minfeng Village" in regions
    assert not [r for r in regions if HAN.search(r)]


# --- API tokens out of a resident's way --------------------------------------------------------


@pytest.mark.django_db
def test_api_tokens_sit_in_the_profiles_advanced_section(db):
    client = page_client(factories.PersonFactory(), language="zh-hans")
    page = client.get("/accounts/me/").content.decode()
    advanced = between(page, '<details class="card advanced">', "</details>")
    assert "<summary>高级</summary>" in advanced
    assert "/accounts/me/tokens/" in advanced
    # After the profile form, and nowhere else on the page.
    assert page.index("</form>", page.index('method="post" class="card"')) < page.index(
        '<details class="card advanced">'
    )
    assert page.count("API 令牌") == 1
