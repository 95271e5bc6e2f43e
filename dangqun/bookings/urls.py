from django.urls import path

from . import views

app_name = "bookings"
urlpatterns = [
    path("", views.my_bookings, name="mine"),
    path("search/", views.search, name="search"),
    path("spaces/<int:space_id>/new/", views.booking_new, name="new"),
    path("spaces/<int:space_id>/calendar/", views.space_calendar, name="space_calendar"),
    path("spaces/<int:space_id>/calendar.ics", views.space_feed, name="space_feed"),
    path("centers/<slug:slug>/calendar/", views.center_calendar, name="center_calendar"),
    path("pass/<str:token>/", views.door_pass, name="door_pass"),
    path("feed/<str:token>.ics", views.my_feed, name="my_feed"),
    path("<uuid:public_id>/", views.booking_detail, name="detail"),
    path("<uuid:public_id>/cancel/", views.booking_cancel, name="cancel"),
    path("<uuid:public_id>.ics", views.booking_ics, name="ics"),
    path("series/<uuid:public_id>/cancel/", views.series_cancel, name="series_cancel"),
    path("series/<uuid:public_id>.ics", views.series_ics, name="series_ics"),
]
