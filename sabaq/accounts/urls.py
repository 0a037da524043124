from django.urls import path

from sabaq.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("language/", views.language_set, name="language_set"),
    path("role/", views.role_choose, name="role_choose"),
    path("password/", views.password_change, name="password_change"),
    path("profile/", views.profile, name="profile"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/login-slips/", views.login_slips, name="login_slips"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path(
        "people/<int:person_id>/password/",
        views.person_password_reset,
        name="person_password_reset",
    ),
]
