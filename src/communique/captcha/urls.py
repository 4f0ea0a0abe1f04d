from django.urls import path

from communique.captcha import views

app_name = "captcha"

urlpatterns = [
    path("captcha/image.png", views.image, name="image"),
    path("captcha/audio.wav", views.audio, name="audio"),
    path("captcha/altcha/", views.altcha, name="altcha"),
]
