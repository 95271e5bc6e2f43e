from django.urls import path

from . import staff_views

app_name = "staff_people"
urlpatterns = [
    path("people/", staff_views.person_list, name="person_list"),
    path("people/<uuid:public_id>/", staff_views.person_detail, name="person_detail"),
    path(
        "people/<uuid:public_id>/groups/<slug:tag>/verify/",
        staff_views.person_tag_verify,
        name="person_tag_verify",
    ),
    path("roles/", staff_views.roles, name="roles"),
    path("roles/<int:grant_id>/revoke/", staff_views.role_revoke, name="role_revoke"),
]
