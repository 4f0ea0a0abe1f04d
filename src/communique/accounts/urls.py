from django.urls import path

from communique.accounts import views

app_name = "accounts"

urlpatterns = [
    path("moderation/sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("moderation/sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("account/two-factor/", views.two_factor, name="two_factor"),
]
