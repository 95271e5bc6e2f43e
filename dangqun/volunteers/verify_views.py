"""Certificates: the public verification page (no sign-in: masked name, hours, period,
issuer, valid or revoked), a form to type a serial, and the PDF for its holder and the
staff of its center."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from dangqun.core.errors import NotFound
from dangqun.core.text import normalise

from . import pdf, selectors, services


def lookup(request):
    """/verify/?serial=…: the page of the serial typed (or the form again)."""
    serial = normalise(request.GET.get("serial", "")).strip().upper()
    if serial and len(serial) <= 24 and serial.isascii() and serial.replace("-", "").isalnum():
        return redirect("certificates:verify", serial=serial)
    return render(request, "volunteers/verify_lookup.html", {"serial": serial[:40]})


def verify(request, serial: str):
    try:
        certificate = selectors.certificate_public(serial)
    except NotFound:
        return render(request, "volunteers/verify_missing.html", status=404)
    return render(request, "volunteers/verify.html", {"certificate": certificate})


@login_required
def certificate_pdf(request, serial: str):
    try:
        certificate = services.certificate_to_print(actor=request.user, serial=serial)
    except NotFound:
        raise Http404 from None
    url = request.build_absolute_uri(reverse("certificates:verify", args=[certificate.serial]))
    try:
        content = pdf.certificate_pdf(certificate, url)
    except pdf.FontMissing as error:
        return render(request, "volunteers/verify_font.html", {"error": error}, status=503)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
