from django.urls import path

from communique.publishing import views

app_name = "publishing"

urlpatterns = [
    path("", views.front_page, name="front_page"),
    path("statements/<str:slug>/", views.statement_page, name="statement"),
    path("archive/", views.archive, name="archive"),
    path("archive/<year:year>/", views.archive_year, name="archive_year"),
]
