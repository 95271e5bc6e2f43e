"""Booking pages for residents: book, see, cancel; the door pass; calendars; search."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import passes, selectors


@login_required
def my_bookings(request):
    return render(request, "bookings/mine.html", {"bookings": selectors.bookings_of(request.user)})


def door_pass(request, token: str):
    booking = passes.booking_from_pass(token)
    return render(request, "bookings/door_pass.html", {"booking": booking})
