"""What the tests of partners' services, pages and API share: a small district with
staff of each street, a partner of Xianlin with an agreement, and files to upload."""

from dataclasses import dataclass
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dangqun.partners import services
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MOBILE = "13912345678"


def pdf(name: str = "receipt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png_bytes(color: str = "red") -> bytes:
    out = BytesIO()
    Image.new("RGB", (32, 32), color).save(out, "PNG")
    return out.getvalue()


def png(name: str = "logo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@dataclass
class World:
    tree: object
    district_admin: object
    xianlin_staff: object
    cangqian_staff: object
    partner: object  # a university co-building with the Xianlin center, run by Xianlin


def partner_data(tree, **overrides) -> dict:
    return {
        "name": "浙江外国语学院",
        "name_en": "Zhejiang International Studies University",
        "kind": "university",
        "region": tree.xianlin,
        "centers": [tree.xianlin_center],
        "contact_name": "王老师",
        "contact_mobile": MOBILE,
        "description": "学长帮帮团",
        **overrides,
    }


@pytest.fixture(name="world")
def world_fixture(district, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    district_admin = factories.staff("district_admin", district.district)
    xianlin_staff = factories.staff("street_admin", district.xianlin)
    cangqian_staff = factories.staff("street_admin", district.cangqian)
    partner = services.partner_create(actor=xianlin_staff, data=partner_data(district))
    return World(district, district_admin, xianlin_staff, cangqian_staff, partner)
