from django.urls import path

from communique.mirrors import views

app_name = "mirrors"
urlpatterns = [
    path("mirrors/", views.mirrors_page, name="page"),
]
