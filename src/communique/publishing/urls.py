from django.urls import path
from django.views.generic import RedirectView

from communique.publishing import feeds, version_views, views

app_name = "publishing"

urlpatterns = [
    path("", views.front_page, name="front_page"),
    # Where people and feed readers look for a feed first.
    path("atom/", RedirectView.as_view(pattern_name="publishing:feed")),
    path("rss/", RedirectView.as_view(pattern_name="publishing:feed_rss")),
    path("statements/feed/", RedirectView.as_view(pattern_name="publishing:feed")),
    path("feed/", views.feed(feeds.StatementFeed()), name="feed"),
    path("feed/rss/", views.feed(feeds.StatementFeed(rss=True)), name="feed_rss"),
    path("feed/all/", views.feed(feeds.EverythingFeed()), name="feed_all"),
    path(
        "feed/all/rss/",
        views.feed(feeds.EverythingFeed(rss=True)),
        name="feed_all_rss",
    ),
    path("statements/<str:slug>/", views.statement_page, name="statement"),
    path(
        "statements/<str:slug>/versions/",
        version_views.version_list,
        name="versions",
    ),
    path(
        "statements/<str:slug>/versions/<int:number>/",
        version_views.version,
        name="version",
    ),
    path("topics/", views.topics, name="topics"),
    path("topics/<str:slug>/", views.topic, name="topic"),
    path("topics/<str:slug>/feed/", views.feed(feeds.TopicFeed()), name="topic_feed"),
    path(
        "topics/<str:slug>/feed/rss/",
        views.feed(feeds.TopicFeed(rss=True)),
        name="topic_feed_rss",
    ),
    path("archive/", views.archive, name="archive"),
    path("archive/<year:year>/", views.archive_year, name="archive_year"),
    path(
        "archive/<year:year>/<month:month>/",
        views.archive_month,
        name="archive_month",
    ),
]
