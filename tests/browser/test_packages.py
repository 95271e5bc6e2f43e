"""Service packages in a real browser at 390 px: an elder signs in and sees their package
"For you" on the home page, opens it and follows its service item into the intake
catalogue, where the item comes first; street staff make a package on a phone (refused
without a target group, beside the field), then read its figures. Every package page is
opened in Chinese, English and large text with no sideways scrolling; screenshots go to
/tmp/shots-packages."""

from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import elder, phone
from tests.partners.package_fixtures import scene

pytestmark = pytest.mark.browser

PASSWORD = "pkg-Pa55word-2026"
SHOTS = Path("/tmp/shots-packages")
PHONE = phone.PHONE


@pytest.fixture
def world(browser_db):
    s = scene()
    for person, mobile in ((s.elder, "13911112222"), (s.staff, "13811113333")):
        person.mobile = mobile
        person.set_password(PASSWORD)
        person.save()
    return s


def signed_in(new_context, mobile, locale="en-US"):
    return phone.signed_in(new_context, mobile, PASSWORD, locale)


shot = partial(phone.shot, SHOTS)


def test_an_elder_finds_their_package_and_its_service(world, new_context):
    page = signed_in(new_context, "13911112222")
    page.goto("/")
    for_you = page.locator("section.for-you")
    expect(for_you.get_by_role("heading", level=2)).to_have_text("For you")
    phone.no_sideways_scroll(page)
    shot(page, "home-for-you-en")
    for_you.get_by_role("link", name="Elder package").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Elder package")
    expect(page.locator("#package-fits")).to_be_visible()
    expect(page.get_by_role("link", name="义诊进社区")).to_be_visible()
    phone.no_sideways_scroll(page)
    shot(page, "package-en")
    page.get_by_role("link", name="Health check").click()
    page.wait_for_url("**/intake/centers/xianlin/elder-health-check/")
    assert page.url.endswith("/intake/centers/xianlin/elder-health-check/")
    page.goto("/intake/centers/xianlin/")
    first = page.locator("main section").first
    expect(first.get_by_role("heading", level=2)).to_have_text("For you")
    expect(first.get_by_role("link", name="Health check")).to_be_visible()
    phone.no_sideways_scroll(page)
    shot(page, "catalogue-for-you-en")


def test_staff_make_a_package_on_a_phone_and_read_its_figures(world, new_context):
    page = signed_in(new_context, "13811113333")
    page.goto("/staff/packages/")
    expect(page.locator(f"#package-{world.package.public_id}")).to_be_visible()
    phone.no_sideways_scroll(page)
    page.get_by_role("link", name="New package").click()
    page.locator("#id_name").fill("骑手关爱包")
    page.locator("#fieldset-items").get_by_label("party-transfer", exact=False).check()
    page.get_by_role("button", name="Save the package").click()
    error = page.locator("#fieldset-target_groups .error")
    expect(error).to_contain_text("at least one target group")
    phone.no_sideways_scroll(page)
    shot(page, "staff-refused-en")
    page.locator("#fieldset-target_groups").get_by_label("New-employment worker").check()
    page.get_by_role("button", name="Save the package").click()
    expect(page.get_by_text("The service package is saved.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("骑手关爱包")
    page.get_by_role("link", name="Figures").first.click()
    expect(page.locator("#figures li strong").first).to_have_text("0")
    phone.no_sideways_scroll(page)
    shot(page, "staff-figures-en")


@pytest.mark.parametrize(
    "locale, large", [("zh-CN", False), ("zh-CN", True), ("en-US", False), ("en-US", True)]
)
def test_every_package_page_fits_a_phone(world, new_context, live_server, locale, large):
    package = world.package.public_id
    urls = [
        ("packages", "/packages/"),
        ("package", f"/packages/{package}/"),
        ("staff-list", "/staff/packages/"),
        ("staff-new", "/staff/packages/new/"),
        ("staff-edit", f"/staff/packages/{package}/"),
        ("staff-figures", f"/staff/packages/{package}/figures/"),
    ]
    page = signed_in(new_context, "13811113333", locale)
    if large:
        page.context.add_cookies([{"name": "dq_text", "value": "large", "url": live_server.url}])
    mode = f"{'en' if locale.startswith('en') else 'zh'}{'-large' if large else ''}"
    axe_file = elder.axe_path()
    assert axe_file, "axe-core is missing: set DANGQUN_AXE_JS to axe.min.js"
    axe_js = Path(axe_file).read_text(encoding="utf-8")
    failures = []
    for name, url in urls:
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        phone.no_sideways_scroll(page)
        shot(page, f"{name}-{mode}")
        page.add_script_tag(content=axe_js)
        violations = page.evaluate(
            """async tags => {
                const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                return r.violations.map(
                    v => v.id + ' x' + v.nodes.length + ' ' + v.nodes[0].target.join(' '));
            }""",
            elder.AXE_TAGS,
        )
        failures += [f"{url} [{mode}]: axe {v}" for v in violations]
    assert not failures, "\n".join(failures)
