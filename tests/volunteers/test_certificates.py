"""Certificates over HTTP: the public verification page (valid, revoked, unknown, forged,
malformed), the PDF for its holder and its center's staff only (audited for staff), what
the PDF says (read back with pypdf, its QR code decoded), and a clear answer when the
server has no Chinese font."""

import io
from datetime import timedelta

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from dangqun.core.models import AuditEntry
from dangqun.volunteers import services
from dangqun.volunteers.models import Shift
from dangqun.volunteers.pdf import _font_at
from tests import factories
from tests.clients import page_client

from .test_services import attend, honour

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(crew):
    """A service certificate of the first member: 3 h of credit, 2 h of honour."""
    person = crew.members[0]
    registration_first = services.shift_sign_up(actor=person, shift=crew.shift)
    # The shift happened two days ago (the services open shifts ahead only).
    back = timedelta(days=2)
    Shift.objects.filter(pk=crew.shift.pk).update(
        start=crew.shift.start - back, end=crew.shift.end - back
    )
    crew.shift.activity.sessions.update(start=crew.shift.start - back, end=crew.shift.end - back)
    crew.shift.refresh_from_db()
    _registration, check_in = attend(
        crew.shift, person, leave_after=180, registration=registration_first
    )
    services.ledger.credit_check_in(shift=crew.shift, check_in=check_in)
    claim = honour(crew, minutes=120, day=timezone.localdate())
    services.honour_decide(actor=crew.leader2, claim=claim, approve=True)
    today = timezone.localdate()
    return services.service_certificate_issue(
        actor=person,
        team=crew.team,
        person=person,
        period_start=today - timedelta(days=30),
        period_end=today,
    )


def _text_of(content: bytes) -> str:
    # pypdf reads the two-byte codes of the embedded CJK font with a zero byte before each
    # character; the text is what remains.
    pages = PdfReader(io.BytesIO(content)).pages
    return "".join(page.extract_text() for page in pages).replace("\x00", "")


def _qr_of(content: bytes) -> list[str]:
    texts = []
    for page in PdfReader(io.BytesIO(content)).pages:
        for image in page.images:
            texts += [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))]
    return texts


def test_the_verification_page_needs_no_sign_in(certificate):
    response = page_client(language="zh-hans").get(f"/verify/{certificate.serial}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "有效" in page and certificate.name_masked in page
    assert certificate.person.name not in page and certificate.person.mobile not in page
    assert "闲林街道党群服务中心" in page


def test_a_lower_case_serial_finds_the_same_certificate(certificate):
    response = page_client().get(f"/verify/{certificate.serial.lower()}/")
    assert response.status_code == 200 and "Valid" in response.content.decode()


def test_a_revoked_certificate_says_so(certificate, crew):
    services.certificate_revoke(actor=crew.staff, certificate=certificate, reason="重复开具")
    page = page_client().get(f"/verify/{certificate.serial}/").content.decode()
    assert "Revoked on" in page and "Valid:" not in page


@pytest.mark.parametrize(
    "serial",
    [
        "YH-V-2026-AAAAAAAA",  # looks right, does not exist
        "YH-V-2026-" + "Z" * 8,
        "x" * 3000,
        "%ED%A0%80",  # a lone surrogate, UTF-8 encoded
        "YH-V-2026-%E2%80%8B",  # a zero-width space
    ],
)
def test_unknown_forged_and_malformed_serials_are_one_404(certificate, serial):
    response = page_client().get(f"/verify/{serial}/")
    assert response.status_code == 404
    assert "No certificate of this platform has this serial number" in response.content.decode()


def test_a_control_character_in_the_address_is_refused_plainly(certificate):
    # The site refuses control characters in any address before a page is asked (400).
    assert page_client().get("/verify/%00%01/").status_code == 400


def test_the_lookup_form_goes_to_the_serial_page(certificate):
    client = page_client()
    response = client.get("/verify/", {"serial": f"  {certificate.serial.lower()} "})
    assert response.status_code == 302 and response["Location"].endswith(
        f"/verify/{certificate.serial}/"
    )
    again = client.get("/verify/?serial=%ED%A0%80" + "x" * 100)
    assert again.status_code == 200 and 'aria-invalid="true"' in again.content.decode()
    wrong = client.get("/verify/", {"serial": "<b>YH</b>"})
    assert wrong.status_code == 200 and "<b>YH</b>" not in wrong.content.decode()


def test_the_holder_prints_the_pdf_and_it_says_what_was_certified(certificate):
    response = page_client(certificate.person).get(f"/verify/{certificate.serial}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert certificate.serial in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"%PDF")
    text = _text_of(content)
    assert "志愿服务证明" in text and certificate.serial in text
    assert "3 小时" in text and "2 小时" in text and "5 小时" in text  # credit, honour, total
    assert certificate.name_masked in text
    assert _qr_of(content) == [f"http://testserver/verify/{certificate.serial}/"]


def test_a_revoked_certificates_pdf_is_marked(certificate, crew):
    services.certificate_revoke(actor=crew.staff, certificate=certificate, reason="重复开具")
    content = page_client(certificate.person).get(f"/verify/{certificate.serial}/pdf/").content
    text = _text_of(content)
    assert "已撤销" in text and "REVOKED" in text and "重复开具" in text


def test_the_pdf_is_for_the_holder_and_the_centers_staff_only(certificate, crew):
    url = f"/verify/{certificate.serial}/pdf/"
    assert page_client(crew.members[1]).get(url).status_code == 404
    other_street = factories.staff("street_admin", crew.tree.cangqian)
    assert page_client(other_street).get(url).status_code == 404
    assert page_client().get(url).status_code == 302  # to sign in
    assert not AuditEntry.objects.filter(action="certificate.print").exists()
    assert page_client(crew.staff).get(url).status_code == 200
    looked = AuditEntry.objects.get(action="certificate.print")
    assert looked.actor_id == crew.staff.pk


def test_a_training_certificate_prints_its_rule(district):
    from dangqun.activities import services as activity_services

    staff = factories.staff("street_admin", district.xianlin)
    training = factories.activity(district.xianlin_center, kind="training", sessions=2)
    person = factories.PersonFactory(name="赵学员")
    registration = activity_services.registration_create(actor=person, activity=training)
    for session in training.sessions.all():
        activity_services.check_in(
            actor=staff,
            session=session,
            registration=registration,
            method="short_code",
            check_window=False,
        )
    (issued,) = services.training_certificates_issue(actor=staff, activity=training)
    text = _text_of(page_client(person).get(f"/verify/{issued.serial}/pdf/").content)
    assert "培训证书" in text and training.title in text and issued.rule in text


def test_without_a_chinese_font_the_page_says_what_is_missing(certificate, settings):
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "CJK_FONT": "/nowhere/font.ttc"}
    _font_at.cache_clear()
    try:
        response = page_client(certificate.person).get(f"/verify/{certificate.serial}/pdf/")
    finally:
        _font_at.cache_clear()
    assert response.status_code == 503
    assert "fonts-noto-cjk" in response.content.decode()
