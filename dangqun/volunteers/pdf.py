"""Certificates as PDF (fpdf2): an A4 page in Chinese with English beneath, the holder's
masked identity, what the certificate says as copied in when it was issued, the issuing
center, the serial number and a QR code of the public verification page. The Chinese
font is a file on the machine (Debian's fonts-noto-cjk, or DANGQUN_CJK_FONT), embedded
as a subset of the glyphs used; without one, a clear error, not a page of empty boxes."""

import io
from functools import cache
from pathlib import Path

import segno
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from fpdf import FPDF

from dangqun.core.errors import DomainError

from .models import Certificate
from .templatetags.volunteering import half_hours

# Debian's fonts-noto-cjk (the collection's Simplified Chinese face is number 2).
FONT_CANDIDATES = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
]
RED = (178, 34, 34)
GREY = (90, 90, 90)


class FontMissing(DomainError):
    status = 503
    code = "font_missing"

    def __init__(self):
        super().__init__(
            _(
                "Certificates cannot be printed on this server yet: it needs a Chinese font "
                "(install Debian's fonts-noto-cjk, or set DANGQUN_CJK_FONT)."
            )
        )


@cache
def _font_at(configured: str) -> tuple[str, int]:
    if configured:
        if not Path(configured).is_file():
            raise FontMissing()
        return configured, 2 if configured.endswith("NotoSansCJK-Regular.ttc") else 0
    for path, number in FONT_CANDIDATES:
        if Path(path).is_file():
            return path, number
    raise FontMissing()


def font() -> tuple[str, int]:
    """The font file and, in a collection, the face to use; FontMissing when there is none."""
    return _font_at(settings.VOLUNTEERS.get("CJK_FONT", ""))


def _hours(minutes: int) -> str:
    return half_hours(minutes)


class _Page(FPDF):
    def __init__(self):
        super().__init__(orientation="P", unit="mm", format="A4")
        path, number = font()
        kwargs = {"collection_font_number": number} if path.endswith(".ttc") else {}
        self.add_font("cjk", fname=path, **kwargs)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_margins(22, 22, 22)
        self.add_page()

    def line_of(self, text: str, size: float, *, color=(0, 0, 0), align="L", gap=2.0):
        self.set_font("cjk", size=size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def pair(self, chinese: str, english: str, value: str):
        """A labelled line: 中文标签 / English label — value."""
        self.set_font("cjk", size=12)
        self.set_text_color(0, 0, 0)
        self.cell(48, 7, chinese)
        self.multi_cell(0, 7, value, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_font("cjk", size=8)
        self.set_text_color(*GREY)
        self.cell(0, 4, english, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)


def _title(certificate: Certificate) -> tuple[str, str]:
    if certificate.kind == Certificate.Kind.TRAINING:
        return "培训证书", "Training Certificate"
    return "志愿服务证明", "Volunteer Service Certificate"


def _issuer(certificate: Certificate) -> str:
    center = certificate.center
    return f"{center.name}" + (f" ({center.name_en})" if center.name_en else "")


def _body(page: _Page, certificate: Certificate) -> None:
    page.pair("持证人", "Holder", certificate.name_masked)
    if certificate.resident_id_masked:
        page.pair("身份证号", "Resident ID number", certificate.resident_id_masked)
    period = f"{certificate.period_start:%Y-%m-%d} — {certificate.period_end:%Y-%m-%d}"
    page.pair("时段", "Period", period)
    if certificate.kind == Certificate.Kind.TRAINING:
        page.pair("培训", "Training", certificate.title)
        page.pair("达到要求", "Requirement met", certificate.rule)
        return
    page.pair("服务队", "Volunteer team", certificate.title)
    credit, honour = certificate.credit_minutes, certificate.honour_minutes
    page.pair("信用时", "Credit hours (from attendance)", f"{_hours(credit)} 小时 / hours")
    page.pair("荣誉时", "Honour hours (granted and approved)", f"{_hours(honour)} 小时 / hours")
    page.pair("合计", "Total", f"{_hours(credit + honour)} 小时 / hours")
    services = "；".join(
        f"{s.get('title', '')} {_hours(int(s.get('minutes', 0)))} 小时"
        for s in certificate.services
    )
    if services:
        page.pair("服务内容", "Services", services)


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    return buffer


def _footer(page: _Page, certificate: Certificate, verify_url: str) -> None:
    page.ln(4)
    page.pair("出具单位", "Issued by", _issuer(certificate))
    issued = timezone.localtime(certificate.issued_at)
    page.pair("出具日期", "Date of issue", f"{issued:%Y-%m-%d}")
    page.pair("编号", "Serial number", certificate.serial)
    top = page.get_y() + 2
    page.image(_qr_png(verify_url), x=page.l_margin, y=top, w=36, h=36)
    page.set_xy(page.l_margin + 42, top + 4)
    page.set_font("cjk", size=10)
    page.set_text_color(0, 0, 0)
    page.multi_cell(0, 5, f"扫码或访问以下网址核验本证明：\n{verify_url}", align="L")
    page.set_x(page.l_margin + 42)
    page.set_font("cjk", size=8)
    page.set_text_color(*GREY)
    page.multi_cell(0, 4, "Scan the code or open the address to verify this certificate.")


def _revoked(page: _Page, certificate: Certificate) -> None:
    when = timezone.localtime(certificate.revoked_at)
    page.line_of(f"已撤销 REVOKED  {when:%Y-%m-%d}", 20, color=RED, align="C", gap=1)
    if certificate.revoked_reason:
        page.line_of(f"原因 Reason：{certificate.revoked_reason}", 11, color=RED, align="C")


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    """The certificate's PDF. `verify_url`: the absolute address of its verification page."""
    page = _Page()
    chinese, english = _title(certificate)
    page.line_of(chinese, 26, align="C", gap=0)
    page.line_of(english, 12, color=GREY, align="C", gap=6)
    if certificate.revoked_at is not None:
        _revoked(page, certificate)
    page.line_of(
        "兹证明下列人员的服务/培训记录如下，数据来自本平台的签到签退记录和组织认定。", 11, gap=0
    )
    page.line_of(
        "This certifies the record below, taken from the platform's check-ins and the "
        "organisation's approvals.",
        8,
        color=GREY,
        gap=5,
    )
    _body(page, certificate)
    _footer(page, certificate, verify_url)
    return bytes(page.output())
