"""Certificates: the public verification page and the PDF (placeholders until built)."""

from django.http import Http404


def verify(request, serial: str):
    raise Http404


def pdf(request, serial: str):
    raise Http404
