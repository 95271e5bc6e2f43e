from django.urls import path

from . import staff_views

app_name = "staff_bookings"
urlpatterns: list = [
    path("", staff_views.booking_list, name="list"),
]
