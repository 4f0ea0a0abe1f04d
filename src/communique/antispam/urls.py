from django.urls import path

from communique.antispam import views

app_name = "antispam"

urlpatterns = [
    path("moderation/blocklist/", views.blocklist, name="blocklist"),
    path("moderation/blocklist/<id:pk>/remove/", views.unblock, name="unblock"),
]
