"""The back office of service packages (/staff/packages/)."""

from django.urls import path

from . import packages_views as views

app_name = "staff_packages"
urlpatterns = [
    path("", views.staff_package_list, name="list"),
    path("new/", views.staff_package_create, name="create"),
    path("<uuid:public_id>/", views.staff_package_edit, name="edit"),
    path("<uuid:public_id>/archive/", views.staff_package_archive, name="archive"),
    path("<uuid:public_id>/figures/", views.staff_package_figures, name="figures"),
]
