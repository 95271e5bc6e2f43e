"""The counter (一站式受理) in a real browser at 390 px, as desk staff use it on a phone:
someone with no account is registered (their consent on paper ticked) and served at once;
a photo chosen before another field's error is asked for again beside its field; the
request is filed and accepted in one step and its receipt prints without the site's
header; activities already joined are not offered, refusals are in staff's words; at the
check-in desk a photo of a personal QR code (any phone, no live scanner) checks the person
in. zh-hans and English; the pages are saved as screenshots under /tmp/shots-b."""

import re
from datetime import timedelta
from functools import partial
from io import BytesIO
from pathlib import Path

import pytest
import segno
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from dangqun.activities import codes, services
from dangqun.people.models import StaffRole
from tests import factories
from tests.browser import phone

pytestmark = pytest.mark.browser

STAFF_MOBILE = "13800008888"
STAFF_PASSWORD = "desk-Pa55word-2025"
SHOTS = Path("/tmp/shots-b")
PHONE = phone.PHONE


def png(color="red") -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (40, 40), color).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def counter(browser_db):
    """Xianlin's center with a phone, an item with a required question and materials, two
    activities taking sign-ups (one for elders only), the desk staff with a password."""
    tree = factories.district_tree()
    center = tree.xianlin_center
    center.phone = "0571-88886666"
    center.opening_hours = ["00:00-24:00"] * 7
    center.save()
    factories.service_item(
        center,
        code="party-transfer",
        materials="身份证\n党员证明",
        fields=[{"code": "branch", "label": "现所在党支部", "datatype": "text", "required": True}],
    )
    factories.activity(center, title="智能手机课")
    factories.activity(center, title="老年书法", eligible_tags=["elder"])
    staff = factories.staff(
        StaffRole.Role.CENTER_STAFF, tree.xianlin, center, name="前台小李", mobile=STAFF_MOBILE
    )
    staff.set_password(STAFF_PASSWORD)
    staff.save()
    return tree


def signed_in(new_context, locale):
    return phone.signed_in(new_context, STAFF_MOBILE, STAFF_PASSWORD, locale)


shot = partial(phone.shot, SHOTS)


def test_register_serve_and_print_the_receipt_in_chinese(counter, new_context):
    page = signed_in(new_context, "zh-CN")
    page.goto("/staff/intake/counter/")
    page.get_by_label("来办事的人：手机号或姓名").fill("+86 139-5555-0009")
    page.get_by_role("button", name="查找").click()
    expect(page.get_by_text("未找到该姓名或手机号的人员。")).to_be_visible()
    # The registration form is open, with the number as typed.
    expect(page.locator("#id_mobile")).to_have_value("+86 139-5555-0009")
    phone.no_sideways_scroll(page)
    shot(page, "counter-register-zh")
    page.get_by_role("button", name="登记并办理").click()  # no name, no tick: told, nothing made
    expect(page.locator("#id_name_error")).to_be_visible()
    page.locator("#id_name").fill("陈阿姨")
    page.get_by_role("button", name="登记并办理").click()
    expect(page.locator("#id_consent_error")).to_contain_text("勾选")
    page.get_by_label("本人已阅读纸质隐私告知并同意").check()
    page.get_by_role("button", name="登记并办理").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("陈阿姨")
    expect(page.get_by_text("已为陈阿姨登记，其纸质同意已记录。")).to_be_visible()
    # Not eligible for the elders' class: said in staff's words, no link to sign up.
    expect(page.get_by_text("此人未登记为：老年人。")).to_be_visible()
    expect(page.get_by_role("link", name="老年书法")).to_have_count(0)
    expect(page.get_by_role("link", name="智能手机课")).to_be_visible()
    phone.no_sideways_scroll(page)
    shot(page, "counter-person-zh")

    # A request: a photo chosen, the required question left empty.
    page.get_by_role("link", name="党员组织关系转接").click()
    page.locator("#id_attachments").set_input_files(
        {"name": "门牌.png", "mimeType": "image/png", "buffer": png()}
    )
    page.locator("form.request-form button").click()
    again = page.locator("#id_attachments_again")
    expect(again).to_contain_text("请在提交前重新选择文件")
    expect(again).to_contain_text("门牌.png")
    shot(page, "counter-photo-again-zh")
    page.get_by_label("现所在党支部").fill("民丰村党支部")
    page.locator("#id_attachments").set_input_files(
        {"name": "门牌.png", "mimeType": "image/png", "buffer": png()}
    )
    page.locator("form.request-form button").click()

    # Filed and accepted: the receipt.
    expect(page.get_by_role("heading", name="受理回执")).to_be_visible()
    number = page.locator(".receipt-number").inner_text().strip()
    assert re.fullmatch(r"YH-\d{8}-\d{4}", number)
    expect(page.get_by_text("已为陈阿姨提交并受理申请")).to_be_visible()
    expect(page.locator(".receipt-materials")).to_contain_text("党员证明")
    expect(page.locator(".receipt-due")).to_contain_text("5 个工作日")
    expect(page.get_by_role("img", name="申请进度页的二维码")).to_be_visible()
    expect(page.get_by_text(f"/intake/mine/{number}/")).to_be_visible()
    expect(page.get_by_text("0571-88886666")).to_be_visible()
    phone.no_sideways_scroll(page)
    shot(page, "counter-receipt-zh")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="打印回执")).to_be_hidden()
    expect(page.locator(".receipt-number")).to_be_visible()
    shot(page, "counter-receipt-print-zh")
    page.emulate_media(media="screen")

    # The history shows both steps with the member of staff.
    page.get_by_role("link", name="在后台查看该申请").click()
    history = page.locator("ol.history")
    expect(history.locator("li")).to_have_count(2)
    expect(history).to_contain_text("前台小李")
    expect(history.locator("li").nth(1)).to_contain_text("受理")


def test_a_person_found_by_a_number_with_dashes_in_english_large_text(counter, new_context):
    person = factories.PersonFactory(name="王小明", mobile="13911110001")
    joined = services.registration_create(
        actor=person,
        activity=counter.xianlin_center.activities.get(title="智能手机课"),
        person=person,
    )
    page = signed_in(new_context, "en-US")
    page.get_by_role("button", name="Large text").click()
    page.goto("/staff/intake/counter/")
    page.get_by_label("The person at the counter: mobile number or name").fill("139-1111-0001")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="王小明").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("王小明")
    signed_up = page.locator("section", has=page.get_by_role("heading", name="Activity sign-ups"))
    expect(signed_up.get_by_role("link", name=joined.activity.title)).to_be_visible()
    # Joined already: not offered again; the elders' class says why, to staff.
    expect(page.get_by_role("link", name="智能手机课")).to_have_count(1)
    expect(page.get_by_text("This person is not recorded as: Elder.")).to_be_visible()
    expect(page.get_by_text("No other activity of this center takes sign-ups now.")).to_be_hidden()
    phone.no_sideways_scroll(page)
    shot(page, "counter-person-en-large")
    page.get_by_role("link", name="党员组织关系转接").click()
    page.get_by_label("现所在党支部").fill("民丰村党支部")
    page.get_by_role("button", name="Submit for the person").click()
    expect(page.get_by_role("heading", name="Receipt of a service request")).to_be_visible()
    expect(page.locator(".receipt-due")).to_contain_text("(5 working days)")
    phone.no_sideways_scroll(page)
    shot(page, "counter-receipt-en-large")


def qr_photo(content: str) -> bytes:
    """A personal QR code on a larger grey picture, as a phone's JPEG."""
    buffer = BytesIO()
    segno.make(content, error="m").save(buffer, kind="png", scale=6, border=4)
    buffer.seek(0)
    picture = Image.new("RGB", (1200, 900), (160, 160, 150))
    picture.paste(Image.open(buffer).convert("RGB"), (400, 250))
    out = BytesIO()
    picture.save(out, format="JPEG", quality=85)
    return out.getvalue()


@pytest.fixture
def class_on_now(counter):
    activity = counter.xianlin_center.activities.get(title="智能手机课")
    session = activity.sessions.get()
    session.start = timezone.now() - timedelta(minutes=10)
    session.end = timezone.now() + timedelta(hours=2)
    session.save()
    person = factories.PersonFactory(name="王小明", mobile="13911110001")
    registration = services.registration_create(actor=person, activity=activity, person=person)
    path = reverse("staff_activities:scan_token", args=[codes.personal_token(registration)])
    return activity, session, path


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_a_photo_of_the_personal_code_checks_in_on_any_phone(
    class_on_now, new_context, live_server, locale
):
    activity, session, path = class_on_now
    page = signed_in(new_context, locale)
    page.goto(f"/staff/activities/{activity.public_id}/check-in/?session={session.pk}")
    photo = page.locator("#scan-photo")
    expect(photo).to_have_attribute("capture", "environment")
    phone.no_sideways_scroll(page)
    shot(page, f"desk-photo-{locale}")
    # Not a picture: a clear message, nobody checked in.
    photo.set_input_files({"name": "a.txt", "mimeType": "text/plain", "buffer": b"hello"})
    expect(page.locator(".desk-result.error")).to_be_visible()
    # The photo is sent as soon as it is chosen (no button to find on a small screen).
    content = qr_photo(f"{live_server.url}{path}")
    page.locator("#scan-photo").set_input_files(
        {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": content}
    )
    expect(page.locator(".desk-result.ok")).to_contain_text("王**")
    expect(page.locator(".entries li")).to_have_count(1)
    shot(page, f"desk-photo-done-{locale}")
