"""Back-office pages of space booking."""

from django.shortcuts import render

from dangqun.people.decorators import staff_required


@staff_required
def booking_list(request):
    return render(request, "bookings/staff_list.html", {})
