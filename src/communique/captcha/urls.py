from django.urls import path

from communique.captcha import views

app_name = "captcha"

urlpatterns = [
    path("captcha/<str:challenge_id>.png", views.image, name="image"),
    path("captcha/<str:challenge_id>.wav", views.audio, name="audio"),
]
