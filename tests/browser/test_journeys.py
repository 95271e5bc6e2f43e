"""What a resident does in a real browser: read the site in Chinese, switch to English,
sign in with an SMS code, open a center; large text for elders; keyboard only."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

MOBILE = "13912345678"


def html_lang(page: Page) -> str:
    return page.locator("html").get_attribute("lang")


def root_font_px(page: Page) -> float:
    size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert size.endswith("px"), size
    return float(size[:-2])


def tab_to(page: Page, selector: str, *, most: int = 40) -> None:
    """Press Tab until the focused element matches the selector, as a keyboard user would."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_chinese_home_english_sms_sign_in_and_a_center(
    district_with_spaces, new_context, sms_codes, tmp_path
):
    page = new_context(locale="zh-CN").new_page()

    # A Chinese browser gets the Chinese site.
    page.goto("/")
    assert html_lang(page) == "zh-Hans"
    assert "党群服务" in page.title()
    assert "余杭区" in page.title()
    expect(page.get_by_role("link", name="闲林街道党群服务中心")).to_be_visible()
    expect(page.get_by_role("link", name="Xianlin Center")).to_have_count(0)

    # The header button switches to English, on the same page.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Xianlin Center")).to_be_visible()
    expect(page.get_by_role("button", name="中文")).to_be_visible()

    # Sign in with a code sent by SMS; a new number needs the privacy consent.
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Mobile number").fill(MOBILE)
    page.get_by_role("button", name="Send code").click()
    expect(page.get_by_role("heading", name="Enter the code")).to_be_visible()
    expect(page.get_by_text("139****5678")).to_be_visible()
    page.get_by_label("Code from the SMS").fill(sms_codes(MOBILE))
    page.get_by_label("I have read and accept the privacy notice").check()
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_have_count(0)

    # A center's page, still in English after signing in and moving on.
    page.goto("/centers/xianlin/")
    assert html_lang(page) == "en"
    expect(page.get_by_role("heading", level=1)).to_have_text("Xianlin Center")
    spaces = page.locator("li.space h3")
    expect(spaces).to_have_text(["Maker Space", "Elderly Canteen"])
    expect(page.get_by_role("heading", name="Spaces")).to_contain_text("(2)")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # On a phone-sized screen nothing sticks out sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    shot = tmp_path / "center-390.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto("/")
    assert html_lang(page) == "en"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_large_text_enlarges_the_page_and_is_remembered(district_with_spaces, new_context):
    page = new_context(locale="en-US").new_page()
    page.goto("/centers/xianlin/")
    normal = root_font_px(page)

    page.get_by_role("button", name="Large text").click()
    expect(page.get_by_role("button", name="Normal text")).to_have_attribute("aria-pressed", "true")
    large = root_font_px(page)
    assert large > normal
    assert page.url.endswith("/centers/xianlin/")

    page.goto("/")
    assert root_font_px(page) == large
    page.reload()
    assert root_font_px(page) == large

    page.get_by_role("button", name="Normal text").click()
    expect(page.get_by_role("button", name="Large text")).to_be_visible()
    assert root_font_px(page) == normal


def test_keyboard_reaches_skip_link_first_and_signs_in(
    district_with_spaces, new_context, sms_codes
):
    page = new_context(locale="en-US").new_page()
    page.goto("/")

    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Skip to content")
    assert skip.bounding_box()["x"] >= 0  # shown on screen while focused
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    # From the header to a signed-in page without the mouse.
    tab_to(page, "nav a[href^='/accounts/sign-in/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    tab_to(page, "input[name=mobile]")
    page.keyboard.type("139 1234 5679")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Enter the code")).to_be_visible()

    tab_to(page, "input[name=code]")
    page.keyboard.type(sms_codes("13912345679"))
    tab_to(page, "input[name=consent]")
    page.keyboard.press("Space")
    expect(page.get_by_label("I have read and accept the privacy notice")).to_be_checked()
    tab_to(page, "main form button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
