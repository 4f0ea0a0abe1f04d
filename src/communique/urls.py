from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from communique import converters, crawlers
from communique.mirrors.views import mirrors_json

converters.register()

# Every page exists in each of the site's languages: the default language's
# without a prefix (/archive/), the others under their code (/fa/archive/).
urlpatterns = [
    path("robots.txt", crawlers.robots_txt, name="robots_txt"),
    path("sitemap.xml", crawlers.sitemap, name="sitemap"),
    path("favicon.ico", crawlers.favicon, name="favicon"),
    path("mirrors.json", mirrors_json, name="mirrors_json"),
    # One address for every language: clients choose with ?lang=.
    path("api/v1/", include("communique.api.urls")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("communique.accounts.urls")),
    path("", include("communique.publishing.urls")),
    path("", include("communique.comments.urls")),
    path("", include("communique.captcha.urls")),
    path("", include("communique.antispam.urls")),
    path("search/", include("communique.search.urls")),
    path("", include("communique.mirrors.urls")),
    prefix_default_language=False,
)

handler400 = "communique.views.bad_request"
handler403 = "communique.views.permission_denied"
handler404 = "communique.views.page_not_found"
handler500 = "communique.views.server_error"
