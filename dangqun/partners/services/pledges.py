"""Agreements and what they pledge; money and goods received, with their evidence."""

import contextlib
import uuid
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.core import audit
from dangqun.core.attachments import checked_attachment
from dangqun.core.errors import ValidationFailed
from dangqun.core.numbers import whole_number
from dangqun.core.text import clean_text

from ..models import Agreement, Partner, Receipt
from .common import _active, _amount, _choice, require_manager, typed_day

# --- agreements -------------------------------------------------------------------------------

HOURS_MAX = Decimal("9999999.9")
MONEY_MAX = Decimal("9999999999.99")


def _agreement_fields(data: dict) -> dict:
    start = typed_day(data.get("start"), field="start")
    end = typed_day(data.get("end"), field="end")
    if end < start:
        raise ValidationFailed(_("The agreement cannot end before it starts."), field="end")
    sessions = data.get("pledged_sessions")
    if sessions not in (None, "") and _negative(sessions):
        raise ValidationFailed(
            _("A pledge or an amount cannot be negative."), field="pledged_sessions"
        )
    return {
        "start": start,
        "end": end,
        "pledged_hours": _amount(
            data.get("pledged_hours"), field="pledged_hours", places=1, maximum=HOURS_MAX
        ),
        "pledged_sessions": whole_number(
            0 if sessions in (None, "") else sessions,
            field="pledged_sessions",
            low=0,
            high=100_000,
        ),
        "pledged_money": _amount(
            data.get("pledged_money"), field="pledged_money", places=2, maximum=MONEY_MAX
        ),
        "text": clean_text(data.get("text"), field="text", max_length=4000, multiline=True),
    }


def _negative(value) -> bool:
    try:
        return Decimal(str(value).strip()[:40]) < 0
    except (InvalidOperation, ValueError):
        return False


@transaction.atomic
def agreement_create(*, actor, partner: Partner, data: dict) -> Agreement:
    """`data`: start, end, pledged_hours, pledged_sessions (per year), pledged_money (¥),
    text."""
    require_manager(actor, partner)
    _active(partner)
    agreement = Agreement.objects.create(
        partner=partner, created_by=actor, **_agreement_fields(data)
    )
    audit.record(actor, "partner_agreement.create", agreement, _agreement_audit(agreement))
    return agreement


@transaction.atomic
def agreement_update(*, actor, agreement: Agreement, data: dict) -> Agreement:
    require_manager(actor, agreement.partner)
    for key, value in _agreement_fields(data).items():
        setattr(agreement, key, value)
    agreement.save()
    audit.record(actor, "partner_agreement.update", agreement, _agreement_audit(agreement))
    return agreement


def _agreement_audit(agreement: Agreement) -> dict:
    return {
        "partner": agreement.partner_id,
        "start": agreement.start.isoformat(),
        "end": agreement.end.isoformat(),
        "pledged_hours": str(agreement.pledged_hours),
        "pledged_sessions": agreement.pledged_sessions,
        "pledged_money": str(agreement.pledged_money),
    }


# --- receipts ---------------------------------------------------------------------------------


def receipt_create(**kwargs) -> Receipt:
    """Money or goods the partner gave, with its evidence (a photo or a PDF, stored under
    var/attachments and served only through a staff page or endpoint). A file written
    before a refusal is removed again."""
    written: list[str] = []
    try:
        return _receipt_create(written=written, **kwargs)
    except BaseException:
        for name in written:
            with contextlib.suppress(OSError):
                Receipt.evidence.field.storage.delete(name)
        raise


@transaction.atomic
def _receipt_create(
    *,
    written: list[str],
    actor,
    partner: Partner,
    kind: str,
    received_on,
    amount,
    description: str,
    evidence,
    agreement: Agreement | None = None,
) -> Receipt:
    require_manager(actor, partner)
    kind = _choice(kind, Receipt.Kind, field="kind")
    received_on = typed_day(received_on, field="received_on")
    if received_on > timezone.localdate():
        raise ValidationFailed(_("This day is still to come."), field="received_on")
    amount = _amount(amount, field="amount", places=2, maximum=MONEY_MAX, positive=True)
    description = clean_text(description, field="description", max_length=200, required=True)
    if agreement is not None and agreement.partner_id != partner.pk:
        raise ValidationFailed(_("Choose an agreement of this partner."), field="agreement")
    if not evidence:
        raise ValidationFailed(_("Attach a photo or a PDF as evidence."), field="evidence")
    extension, _content_type = checked_attachment(evidence, field="evidence")
    receipt = Receipt(
        partner=partner,
        agreement=agreement,
        kind=kind,
        received_on=received_on,
        amount=amount,
        description=description,
        entered_by=actor,
    )
    evidence.seek(0)
    name = f"{uuid.uuid4().hex}.{extension}"
    written.append(receipt.evidence.field.generate_filename(receipt, name))
    receipt.evidence.save(name, evidence, save=False)
    written[-1] = receipt.evidence.name
    receipt.save()
    audit.record(
        actor,
        "partner_receipt.create",
        receipt,
        {"partner": partner.pk, "kind": kind, "amount": str(amount)},
    )
    return receipt
