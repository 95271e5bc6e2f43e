"""Public pages of service packages (/packages/)."""

from django.urls import path

from . import packages_views as views

app_name = "packages"
urlpatterns = [
    path("", views.package_list, name="list"),
    path("<uuid:public_id>/", views.package_detail, name="detail"),
]
