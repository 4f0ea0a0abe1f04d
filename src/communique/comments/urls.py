from django.urls import path

from communique.comments.views import moderation, posting

app_name = "comments"

urlpatterns = [
    path("comments/new/<id:statement_id>/", posting.post_comment, name="post"),
    path("comments/<id:pk>/", posting.permalink, name="permalink"),
    path("comments/<id:pk>/reply/", posting.reply, name="reply"),
    path("comments/<id:pk>/edit/", posting.edit, name="edit"),
    path("moderation/", moderation.queue, name="moderation"),
    path("moderation/log/", moderation.log, name="moderation_log"),
    path("moderation/edits/<id:pk>/", moderation.decide_edit, name="moderate_edit"),
]
