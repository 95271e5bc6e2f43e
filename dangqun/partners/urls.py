"""Public pages of partners (/partners/)."""

from django.urls import path

from . import views

app_name = "partners"
urlpatterns: list = [
    path("", views.partner_list, name="list"),
    path("<uuid:public_id>/", views.partner_detail, name="detail"),
]
