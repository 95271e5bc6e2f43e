"""Partners in a real browser at 390 px: a street's staff add a partner from the back
office's home, enter its agreement (a date before the start is refused beside the field)
and a sub-brand with a logo; then the public partner page, signed out, shows the partner,
its sub-brand with the logo and its upcoming activity, and no contact data, in Chinese and
English, in large text, with no sideways scrolling. Screenshots go to /tmp/shots-partners."""

from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dangqun.partners import services
from tests import factories
from tests.browser import elder, phone
from tests.partners.pcore import png_bytes

pytestmark = pytest.mark.browser

STAFF_MOBILE = "13800006666"
STAFF_PASSWORD = "partner-Pa55word-2026"
CONTACT = "13912340000"
SHOTS = Path("/tmp/shots-partners")
PHONE = phone.PHONE


@pytest.fixture
def street(browser_db, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    tree = factories.district_tree()
    staff = factories.staff("street_admin", tree.xianlin, mobile=STAFF_MOBILE, name="闲林管理员")
    staff.set_password(STAFF_PASSWORD)
    staff.save()
    return tree


@pytest.fixture
def public_partner(browser_db, tmp_path, settings):
    """A partner with a sub-brand (with a logo), an upcoming activity, a contact, a
    receipt, a brand; the street's admin who runs it has a password."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    settings.VAR_DIR = tmp_path
    tree = factories.district_tree()
    staff = factories.staff("street_admin", tree.xianlin, mobile=STAFF_MOBILE)
    staff.set_password(STAFF_PASSWORD)
    staff.save()
    partner = services.partner_create(
        actor=staff,
        data={
            "name": "浙江外国语学院",
            "name_en": "Zhejiang International Studies University",
            "kind": "university",
            "region": tree.xianlin,
            "centers": [tree.xianlin_center],
            "contact_name": "王老师",
            "contact_mobile": CONTACT,
            "description": "与闲林街道党群服务中心共建，学生志愿者每周来中心辅导作业。",
        },
    )
    sub_brand = services.sub_brand_create(
        actor=staff,
        partner=partner,
        data={
            "name": "学长帮帮团",
            "name_en": "Senior Helpers",
            "center": tree.xianlin_center,
            "description": "大学生为小学生辅导作业",
        },
        logo=SimpleUploadedFile("logo.png", png_bytes("green"), content_type="image/png"),
    )
    factories.activity(
        tree.xianlin_center, partner=partner, sub_brand=sub_brand, title="周末作业辅导"
    )
    agreement = services.agreement_create(
        actor=staff,
        partner=partner,
        data={"start": "2026-01-01", "end": "2026-12-31", "pledged_money": "20000"},
    )
    services.receipt_create(
        actor=staff,
        partner=partner,
        kind="goods",
        received_on=timezone.localdate(),
        amount="1500",
        description="图书一批（二百册）",
        evidence=SimpleUploadedFile("r.png", png_bytes(), content_type="image/png"),
        agreement=agreement,
    )
    brand = services.brand_create(
        actor=staff, data={"name": "幸福闲林", "region": tree.xianlin, "sub_brands": [sub_brand]}
    )
    factories.partner(tree.xianlin_center, name="浙外（旧数据）", from_old_data=True)
    partner.pages = [
        ("staff-list", "/staff/partners/"),
        ("staff-new", "/staff/partners/new/"),
        ("staff-detail", f"/staff/partners/{partner.public_id}/"),
        ("staff-edit", f"/staff/partners/{partner.public_id}/edit/"),
        ("staff-agreement", f"/staff/partners/{partner.public_id}/agreements/new/"),
        ("staff-receipt", f"/staff/partners/{partner.public_id}/receipts/new/"),
        ("staff-sub-brand", f"/staff/partners/sub-brands/{sub_brand.public_id}/edit/"),
        ("staff-brands", "/staff/partners/brands/"),
        ("staff-brand", f"/staff/partners/brands/{brand.public_id}/edit/"),
        ("partners", "/partners/"),
        ("partner", f"/partners/{partner.public_id}/"),
        ("brands", "/brands/"),
        ("brand", f"/brands/{brand.public_id}/"),
    ]
    return partner


def signed_in(new_context, locale):
    return phone.signed_in(new_context, STAFF_MOBILE, STAFF_PASSWORD, locale)


shot = partial(phone.shot, SHOTS)


def test_staff_add_a_partner_its_agreement_and_a_sub_brand(street, new_context, tmp_path):
    page = signed_in(new_context, "en-US")
    page.goto("/staff/")
    page.get_by_role("link", name="Partners", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partners")
    page.get_by_role("link", name="New partner").click()
    page.get_by_label("Name of the partner").fill("闲富门诊")
    page.get_by_label("English name").fill("Xianfu Clinic")
    page.get_by_label("Kind of organisation").select_option("clinic")
    page.get_by_label("Region running the partnership").select_option(label="Xianlin Street")
    page.get_by_label("Xianlin Center").check()
    page.get_by_label("Contact person").fill("赵医生")
    page.get_by_label("Contact mobile").fill("137 0000 1111")
    phone.no_sideways_scroll(page)
    shot(page, "partner-new-en")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xianfu Clinic")
    expect(page.locator("#contact-mobile")).to_have_text("13700001111")

    page.get_by_role("link", name="New agreement").click()
    page.locator("#id_start").fill("2026-06-01")
    page.locator("#id_end").fill("2026-01-01")
    page.get_by_label("Money or goods pledged (¥)").fill("5000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_end_error")).to_contain_text("cannot end before it starts")
    phone.no_sideways_scroll(page)
    shot(page, "agreement-refused-en")
    page.locator("#id_end").fill("2026-12-31")
    page.get_by_label("Volunteer hours pledged").fill("120")
    page.get_by_label("Sessions pledged per year").fill("12")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#agreements")).to_contain_text("¥5,000.00")
    expect(page.locator("#agreements")).to_contain_text("2026-06-01 – 2026-12-31")

    page.get_by_role("link", name="New sub-brand").click()
    page.get_by_label("Name of the sub-brand").fill("夏天织帽子")
    page.locator("#id_center").select_option("xianlin")
    page.get_by_label("Short description").fill("夏天为环卫工人织帽子")
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_bytes("blue"))
    page.get_by_label("Logo").set_input_files(str(logo))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#sub-brands")).to_contain_text("夏天织帽子")
    expect(page.locator("#sub-brands img.logo")).to_be_visible()
    phone.no_sideways_scroll(page)
    shot(page, "partner-detail-en")

    page.get_by_role("link", name="Public page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xianfu Clinic")
    expect(page.locator("#sub-brands")).to_contain_text("夏天织帽子")
    assert "13700001111" not in page.content() and "赵医生" not in page.content()


@pytest.mark.parametrize(
    "locale, large", [("zh-CN", False), ("zh-CN", True), ("en-US", False), ("en-US", True)]
)
def test_the_public_partner_page_at_390_px(public_partner, new_context, live_server, locale, large):
    page = new_context(locale=locale, **PHONE).new_page()
    if large:
        page.context.add_cookies([{"name": "dq_text", "value": "large", "url": live_server.url}])
    english = locale.startswith("en")
    page.goto("/partners/")
    name = "Zhejiang International Studies University" if english else "浙江外国语学院"
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator("#sub-brands")).to_contain_text(
        "Senior Helpers" if english else "学长帮帮团"
    )
    logo = page.locator("#sub-brands img.logo")
    expect(logo).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", logo.element_handle()) > 0
    expect(page.locator("#upcoming")).to_contain_text("周末作业辅导")
    html = page.content()
    assert CONTACT not in html and "王老师" not in html and "139****" not in html
    if large:
        size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert size >= 18, size
    phone.no_sideways_scroll(page)
    suffix = f"{'en' if english else 'zh'}{'-large' if large else ''}"
    shot(page, f"public-partner-{suffix}")
    page.locator("#upcoming a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("周末作业辅导")
    page.go_back()
    page.goto("/partners/")
    phone.no_sideways_scroll(page)
    shot(page, f"public-partners-{suffix}")


AXE = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
}"""


@pytest.mark.parametrize(
    "locale, large", [("zh-CN", False), ("zh-CN", True), ("en-US", False), ("en-US", True)]
)
def test_every_partners_page_fits_a_phone_in_each_mode(
    public_partner, new_context, live_server, locale, large
):
    """Staff and public pages of partners at 390 px: no sideways scrolling, large text at
    18 px or more, and (with DANGQUN_AXE_JS) no WCAG 2.2 AA violation axe finds."""
    page = signed_in(new_context, locale)
    if large:
        page.context.add_cookies([{"name": "dq_text", "value": "large", "url": live_server.url}])
    axe_file = elder.axe_path()
    axe_js = Path(axe_file).read_text(encoding="utf-8") if axe_file else None
    found = []
    for name, url in public_partner.pages:
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        if large:
            size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            assert size >= 18, (url, size)
        phone.no_sideways_scroll(page)
        if axe_js:
            page.add_script_tag(content=axe_js)
            found += [f"{url}: {v}" for v in page.evaluate(AXE, elder.AXE_TAGS)]
        shot(page, f"{name}-{'en' if locale.startswith('en') else 'zh'}{'-large' if large else ''}")
    assert found == []
