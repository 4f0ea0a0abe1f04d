from django.urls import path

from communique.comments.views import moderation, posting

app_name = "comments"

urlpatterns = [
    path("comments/new/<int:statement_id>/", posting.post_comment, name="post"),
    path("comments/<int:pk>/", posting.permalink, name="permalink"),
    path("comments/<int:pk>/reply/", posting.reply, name="reply"),
    path("comments/<int:pk>/edit/", posting.edit, name="edit"),
    path("moderation/", moderation.queue, name="moderation"),
    path("moderation/log/", moderation.log, name="moderation_log"),
]
