from django.contrib import admin
from django.urls import include, path

from communique import converters

converters.register()

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("communique.publishing.urls")),
    path("", include("communique.comments.urls")),
    path("", include("communique.captcha.urls")),
    path("", include("communique.antispam.urls")),
]

handler400 = "communique.views.bad_request"
