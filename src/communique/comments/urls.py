from django.urls import path

from communique.comments import feeds
from communique.comments.views import moderation, posting, replies
from communique.publishing.views import feed

app_name = "comments"

urlpatterns = [
    path("comments/new/<id:statement_id>/", posting.post_comment, name="post"),
    path("comments/feed/", feed(feeds.CommentFeed()), name="feed"),
    path("comments/feed/rss/", feed(feeds.CommentFeed(rss=True)), name="feed_rss"),
    path(
        "statements/<str:slug>/feed/",
        feed(feeds.StatementCommentFeed()),
        name="statement_feed",
    ),
    path(
        "statements/<str:slug>/feed/rss/",
        feed(feeds.StatementCommentFeed(rss=True)),
        name="statement_feed_rss",
    ),
    path("comments/<id:pk>/", posting.permalink, name="permalink"),
    path("comments/<id:pk>/reply/", posting.reply, name="reply"),
    path("comments/<id:pk>/edit/", posting.edit, name="edit"),
    path(
        "comments/replies/confirm/<str:token>/", replies.confirm, name="replies_confirm"
    ),
    path(
        "comments/replies/unsubscribe/<str:token>/",
        replies.unsubscribe,
        name="replies_unsubscribe",
    ),
    path("moderation/", moderation.queue, name="moderation"),
    path("moderation/log/", moderation.log, name="moderation_log"),
    path("moderation/undo/", moderation.undo_last, name="moderation_undo"),
    path("moderation/comments/<id:pk>/", moderation.moderate_one, name="moderate_one"),
    path("moderation/edits/<id:pk>/", moderation.decide_edit, name="moderate_edit"),
]
