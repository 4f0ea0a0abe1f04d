from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("communique.publishing.urls")),
    path("", include("communique.comments.urls")),
]
