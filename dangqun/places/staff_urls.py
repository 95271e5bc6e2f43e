from django.urls import path

from . import staff_views

app_name = "staff_places"
urlpatterns = [
    path("regions/", staff_views.regions, name="regions"),
    path("centers/new/", staff_views.center_create, name="center_create"),
    path("centers/<slug:slug>/", staff_views.center_edit, name="center_edit"),
    path("centers/<slug:slug>/spaces/new/", staff_views.space_create, name="space_create"),
    path("spaces/<int:space_id>/", staff_views.space_edit, name="space_edit"),
    path("space-kinds/", staff_views.space_kinds, name="space_kinds"),
]
