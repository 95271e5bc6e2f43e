"""Nothing half-saved: a request whose submission fails leaves no attachment file on disk
and no row, whether it fails on a check after its files were received (pages, API) or
while the files are being written (the disk fills up)."""

import io
import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dangqun.intake.models import Attachment, ServiceRequest
from tests.clients import error

from .conftest import GOOD_VALUES, intake_api, submit

pytestmark = pytest.mark.django_db

FORM = {
    "v_branch": "民丰村党支部",
    "v_direction": "in",
    "v_months": "6",
    "description": "调往闲林工作",
}


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "PNG")
    return SimpleUploadedFile("photo.png", out.getvalue(), "image/png")


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n1 0 obj\n%%EOF\n", "application/pdf")


def files_on_disk() -> list:
    folder = settings.VAR_DIR / "attachments"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def nothing_saved() -> bool:
    return (
        not ServiceRequest.objects.exists()
        and not Attachment.objects.exists()
        and not files_on_disk()
    )


def test_page_a_value_refused_after_the_files_came_leaves_no_file(as_person, world):
    client = as_person(world.resident)
    page = client.post(
        "/intake/centers/xianlin/party-transfer/",
        {**FORM, "v_months": "many", "attachments": [png(), pdf()]},
    )
    assert page.status_code == 400
    assert nothing_saved()
    # The same files with good values are kept: the check above can fail.
    page = client.post(
        "/intake/centers/xianlin/party-transfer/", {**FORM, "attachments": [png(), pdf()]}
    )
    assert page.status_code == 302 and len(files_on_disk()) == 2


def test_api_a_disguised_second_file_leaves_no_first_file(world):
    api = intake_api(world.resident)
    data = json.dumps({"item": "party-transfer", "values": GOOD_VALUES})
    disguised = SimpleUploadedFile("b.jpg", b"MZ\x90\x00 not an image", "image/jpeg")
    bad = api.post_multipart(
        "/requests/with-files", {"data": data, "attachments": [png(), disguised]}
    )
    assert error(bad, 400)["field"] == "attachments"
    assert nothing_saved()


def test_counter_a_value_refused_leaves_no_file(as_person, world):
    client = as_person(world.xianlin_staff)
    url = f"/staff/intake/counter/{world.resident.public_id}/xianlin/party-transfer/"
    page = client.post(url, {**FORM, "v_direction": "sideways", "attachments": [pdf()]})
    assert page.status_code == 400
    assert nothing_saved()


class DiskFull(SimpleUploadedFile):
    """An upload that passes every check but cannot be written: the disk fills up half-way."""

    def chunks(self, chunk_size=None):
        yield self.read(8)
        raise OSError(28, "No space left on device")


def test_a_write_failing_half_way_removes_the_files_written_before(world):
    full = DiskFull("second.pdf", b"%PDF-1.7\n" + b"0" * 64 + b"\n%%EOF\n", "application/pdf")
    with pytest.raises(OSError):
        submit(world, attachments=[png(), full])
    assert nothing_saved()
