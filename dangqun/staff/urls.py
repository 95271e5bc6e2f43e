from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.person_list, name="person_list"),
    path("people/<uuid:public_id>/", views.person_detail, name="person_detail"),
    path("regions/", views.regions, name="regions"),
    path("centers/new/", views.center_create, name="center_create"),
    path("centers/<slug:slug>/", views.center_edit, name="center_edit"),
    path("centers/<slug:slug>/spaces/new/", views.space_create, name="space_create"),
    path("spaces/<int:space_id>/", views.space_edit, name="space_edit"),
    path("space-kinds/", views.space_kinds, name="space_kinds"),
    path("roles/", views.roles, name="roles"),
    path("roles/<int:grant_id>/revoke/", views.role_revoke, name="role_revoke"),
]
