"""The words on a phone (390 px): an English page of the space search, with its selects of
streets and kinds, shows no Chinese in the header, the footer or the options (what staff
typed without an English name excepted, and the language switch, which names Chinese in
Chinese); a Chinese rider is asked how they travel (出行方式, not the check-in method), and a
center page gives its opening date (开馆日期, not its opening hours)."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from dangqun.places.models import SpaceKind
from tests import factories

pytestmark = pytest.mark.browser

HAN = re.compile(r"[\u4e00-\u9fff]")

# The text of an element without the parts marked as Chinese (the language switch).
TEXT_WITHOUT_CHINESE_PARTS = """element => {
  const copy = element.cloneNode(true);
  copy.querySelectorAll('[lang^="zh"]').forEach(part => part.remove());
  return copy.textContent;
}"""


@pytest.fixture
def places(browser_db):
    tree = factories.district_tree()
    tree.xianlin_center.opened_on = date(2021, 7, 1)
    tree.xianlin_center.save()
    SpaceKind.objects.update_or_create(
        code="maker_space", defaults={"name": "创客空间", "name_en": "Maker space"}
    )
    factories.SpaceFactory(
        center=tree.xianlin_center, name="创客空间", name_en="Maker Space", is_bookable=True
    )
    return tree


def test_an_english_page_has_no_chinese_around_its_selects(places, new_context):
    page = new_context(locale="en-US", width=390, height=844).new_page()
    page.goto("/bookings/search/")
    expect(page.get_by_role("heading", name="Find a free space")).to_be_visible()

    header = page.locator("header.site-header").evaluate(TEXT_WITHOUT_CHINESE_PARTS)
    footer = page.locator("footer.site-footer").inner_text()
    assert "Yuhang District" in footer
    assert "Yuhang District" in page.title()
    assert HAN.findall(header + footer + page.title()) == []

    street = page.get_by_label("Street")
    kind = page.get_by_label("Kind of space")
    streets = street.locator("option").all_inner_texts()
    kinds = kind.locator("option").all_inner_texts()
    assert "Xianlin Street" in streets and "Cangqian Street" in streets
    assert "Maker space" in kinds
    # Built-in kinds come with their English names; none is shown in Chinese.
    assert [o for o in streets + kinds if HAN.search(o)] == []
    # The labels stay on the phone's screen.
    for select in (street, kind):
        box = select.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_a_chinese_rider_is_asked_how_they_travel(places, new_context):
    page = new_context(locale="zh-CN", width=390, height=844).new_page()
    page.goto("/riders/map/")
    expect(page.get_by_label("出行方式")).to_be_visible()
    assert "签到方式" not in page.content()


def test_a_chinese_center_page_gives_its_opening_date(places, new_context):
    page = new_context(locale="zh-CN", width=390, height=844).new_page()
    page.goto(f"/centers/{places.xianlin_center.slug}/")
    expect(page.locator("dt", has_text="开馆日期")).to_be_visible()
    assert "开馆时间" not in page.content()
    assert "余杭区" in page.locator("footer.site-footer").inner_text()
