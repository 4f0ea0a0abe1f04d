from django.contrib import admin

from communique.comments.models import Comment, CommentRevision, ModerationAction


class CommentRevisionInline(admin.TabularInline):
    model = CommentRevision
    extra = 0
    can_delete = False
    fields = ("replaced_at", "replaced_by", "subject", "body_source")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Read and search comments. Moderating and editing happen in /moderation/,
    through the services, so that every change is rendered and recorded."""

    list_display = ("__str__", "author_name", "statement", "status", "created")
    list_filter = ("status", "created")
    search_fields = ("author_name", "subject", "body_source")
    list_select_related = ("statement",)
    inlines = [CommentRevisionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting here would skip the trash, the log and the page cache.
        return False


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = (
        "created",
        "moderator",
        "action",
        "comment",
        "from_status",
        "to_status",
    )
    list_filter = ("action", "created")
    list_select_related = ("moderator", "comment")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
