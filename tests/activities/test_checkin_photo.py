"""Check-in from a photo of a personal QR code, for phones whose browser cannot read codes
live (iPhone Safari, WeChat): the desk page's photo form and the staff API read the photo
on the server (zxing-cpp) and check the person in with the same service as a scan. Bad,
huge and non-image uploads get a clear message, never a 500. The QR codes are real PNGs
made by segno, as the registration's page shows them."""

from datetime import timedelta
from io import BytesIO

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from dangqun.activities import codes, services
from dangqun.activities.models import CheckIn, Registration
from dangqun.core import codes as core_codes
from dangqun.people.models import StaffRole
from tests import factories
from tests.clients import Api, error, page_client

from .test_staff_pages import desk_result, text

pytestmark = pytest.mark.django_db

Role = StaffRole.Role
OPEN = ["08:00-20:00"] * 7


def qr_png(content: str, *, scale: int = 8, photo: bool = False) -> bytes:
    """A QR code as a PNG; `photo`: pasted, smaller, on a large grey picture with noise
    around it, more like a phone's photo of a screen than a clean code."""
    buffer = BytesIO()
    segno.make(content, error="m").save(buffer, kind="png", scale=scale, border=4)
    if not photo:
        return buffer.getvalue()
    buffer.seek(0)
    code = Image.open(buffer).convert("RGB")
    picture = Image.new("RGB", (1600, 1200), (150, 150, 140))
    for x in range(0, 1600, 40):  # stripes: a background that is not plain
        picture.paste((120, 110, 100), (x, 0, x + 10, 1200))
    picture.paste(code, (500, 300))
    out = BytesIO()
    picture.save(out, format="JPEG", quality=85)
    return out.getvalue()


def upload(content: bytes, name: str = "photo.png", kind: str = "image/png"):
    return SimpleUploadedFile(name, content, content_type=kind)


@pytest.fixture
def setting(district):
    center = district.xianlin_center
    center.opening_hours = OPEN
    center.save()
    activity = factories.activity(center, capacity=5, title="智能手机课")
    session = activity.sessions.get()
    session.start = timezone.now() - timedelta(minutes=10)
    session.end = timezone.now() + timedelta(hours=1)
    session.save()
    staff = factories.staff(Role.CENTER_STAFF, district.xianlin, center, name="赵晓燕")
    person = factories.PersonFactory(name="王小明")
    registration = services.registration_create(actor=person, activity=activity, person=person)
    return activity, session, staff, registration


def scan_address(registration: Registration) -> str:
    """What the personal QR code holds: the address of the staff's check-in page."""
    path = reverse("staff_activities:scan_token", args=[codes.personal_token(registration)])
    return f"http://testserver{path}"


def desk_photo(client, activity, session, data):
    url = f"/staff/activities/{activity.public_id}/check-in/photo/?session={session.pk}"
    return client.post(url, data)


def api_photo(staff, activity, session, data):
    path = f"/activities/{activity.public_id}/sessions/{session.pk}/check-ins/photo"
    return Api(staff, base="/staff", token=True).post_multipart(path, data)


# --- reading the photo ----------------------------------------------------------------------


def test_a_photo_of_a_code_among_other_things_is_read(setting):
    _activity, _session, _staff, registration = setting
    content = qr_png(scan_address(registration), scale=6, photo=True)
    assert core_codes.qr_texts_from_photo(upload(content, "p.jpg")) == [scan_address(registration)]


# --- the desk page --------------------------------------------------------------------------


def test_the_desk_offers_a_photo_for_any_phone(setting):
    activity, session, staff, _registration = setting
    desk_url = f"/staff/activities/{activity.public_id}/check-in/?session={session.pk}"
    page = text(page_client(staff).get(desk_url))
    assert 'accept="image/*" capture="environment"' in page
    assert f"/check-in/photo/?session={session.pk}" in page


def test_a_photo_of_the_personal_code_checks_the_person_in_at_the_desk(setting):
    activity, session, staff, registration = setting
    client = page_client(staff)
    content = qr_png(scan_address(registration), photo=True)
    page = text(desk_photo(client, activity, session, {"photo": upload(content, "a.jpg")}))
    assert desk_result(page) == ("ok", "✔ 王** checked in")
    entry = CheckIn.objects.get(registration=registration, session=session)
    assert entry.method == CheckIn.Method.SCAN and entry.by == staff
    # The same photo again: already in, nothing doubled.
    page = text(desk_photo(client, activity, session, {"photo": upload(content, "a.jpg")}))
    assert desk_result(page)[0] == "again"
    assert CheckIn.objects.filter(registration=registration).count() == 1


def bad_uploads(other_registration=None):
    blank = BytesIO()
    Image.new("RGB", (400, 300), "white").save(blank, format="PNG")
    huge = BytesIO()
    Image.new("1", (9000, 9000), 1).save(huge, format="PNG")  # small file, 81 million pixels
    return [
        (None, "Take or choose a photo of the QR code."),
        (upload(b"", "empty.png"), "Take or choose a photo of the QR code."),
        (upload(b"hello, not a picture", "a.txt", "text/plain"), "This file is not a photo"),
        (upload(b"%PDF-1.4\n%%EOF", "a.pdf", "application/pdf"), "This file is not a photo"),
        (upload(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "broken.png"), "This file is not a photo"),
        (upload(blank.getvalue()), "No QR code could be read in this photo."),
        (upload(huge.getvalue()), "The photo has too many pixels."),
        (upload(qr_png("https://example.com/hello")), "not a check-in code of this platform"),
        (
            upload(b"\xff\xd8\xff" + b"0" * (core_codes.QR_PHOTO_MAX_BYTES + 10), "big.jpg"),
            "The photo may be at most 10 MB.",
        ),
    ]


@pytest.mark.parametrize("case", range(len(bad_uploads())))
def test_bad_uploads_at_the_desk_say_what_is_wrong(setting, case):
    activity, session, staff, registration = setting
    sent, message = bad_uploads()[case]
    data = {} if sent is None else {"photo": sent}
    response = desk_photo(page_client(staff), activity, session, data)
    assert response.status_code == 200
    kind, said = desk_result(text(response))
    assert kind == "error" and message in said
    assert not CheckIn.objects.exists()


def test_a_code_of_another_activity_is_refused(setting, district):
    activity, session, staff, _registration = setting
    other = factories.activity(district.xianlin_center, title="书法课")
    person = factories.PersonFactory()
    theirs = services.registration_create(actor=person, activity=other, person=person)
    content = qr_png(scan_address(theirs))
    page = text(desk_photo(page_client(staff), activity, session, {"photo": upload(content)}))
    assert desk_result(page) == ("error", "This code belongs to another activity.")
    assert not CheckIn.objects.exists()


def test_another_center_s_staff_get_404(setting, district):
    activity, session, _staff, registration = setting
    outsider = factories.staff(Role.CENTER_STAFF, district.cangqian, district.cangqian_center)
    content = qr_png(scan_address(registration))
    response = desk_photo(page_client(outsider), activity, session, {"photo": upload(content)})
    assert response.status_code == 404
    assert api_photo(outsider, activity, session, {"photo": upload(content)}).status_code == 404
    assert not CheckIn.objects.exists()


# --- the API --------------------------------------------------------------------------------


def test_the_api_checks_in_from_a_photo_once(setting):
    activity, session, staff, registration = setting
    content = qr_png(scan_address(registration), photo=True)
    first = api_photo(staff, activity, session, {"photo": upload(content, "a.jpg")})
    assert first.status_code == 201, first.content
    assert (first.json()["created"], first.json()["method"]) == (True, "scan")
    again = api_photo(staff, activity, session, {"photo": upload(content, "a.jpg")})
    assert again.status_code == 200 and again.json()["created"] is False
    assert CheckIn.objects.filter(registration=registration).count() == 1


@pytest.mark.parametrize("case", range(len(bad_uploads())))
def test_bad_uploads_in_the_api_are_400_on_the_photo_field(setting, case):
    activity, session, staff, _registration = setting
    sent, message = bad_uploads()[case]
    body = error(api_photo(staff, activity, session, {} if sent is None else {"photo": sent}), 400)
    assert body["field"] == "photo" and message in body["message"]
    assert not CheckIn.objects.exists()
