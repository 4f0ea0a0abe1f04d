from django.contrib import admin
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from communique import localforms
from communique.comments.models import Comment, CommentRevision, ModerationAction


def _isolated(text: object) -> SafeString:
    """``text`` written by someone else, set apart so that its direction
    (or a U+202E in it) cannot reorder the columns' text around it."""
    return format_html("<bdi>{}</bdi>", text)


class CommentRevisionInline(admin.TabularInline):
    model = CommentRevision
    extra = 0
    can_delete = False
    fields = ("replaced_at", "replaced_by", "subject", "body_source")
    readonly_fields = fields
    formfield_overrides = localforms.ADMIN_FORMFIELD_OVERRIDES

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Read and search comments. Moderating and editing happen in /moderation/,
    through the services, so that every change is rendered and recorded."""

    list_display = (
        "excerpt",
        "name",
        "statement_title",
        "status",
        localforms.dated_column(Comment, "created", with_time=True),
    )
    list_filter = ("status", "created")
    search_fields = ("author_name", "subject", "body_source")
    list_select_related = ("statement",)
    inlines = [CommentRevisionInline]
    formfield_overrides = localforms.ADMIN_FORMFIELD_OVERRIDES

    @admin.display(description=_("comment"))
    def excerpt(self, comment: Comment) -> SafeString:
        return _isolated(comment)

    @admin.display(description=_("name"), ordering="author_name")
    def name(self, comment: Comment) -> SafeString:
        return _isolated(comment.author_name)

    @admin.display(description=_("statement"), ordering="statement__title")
    def statement_title(self, comment: Comment) -> SafeString:
        statement = comment.statement
        return format_html(
            '<span lang="{}" dir="{}">{}</span>',
            statement.language,
            "rtl" if statement.is_bidi else "ltr",
            statement.title,
        )

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
        localforms.dated_column(ModerationAction, "created", with_time=True),
        "moderator_name",
        "action",
        "comment",
        "from_status",
        "to_status",
    )
    list_filter = ("action", "created")
    list_select_related = ("moderator", "comment")
    formfield_overrides = localforms.ADMIN_FORMFIELD_OVERRIDES

    @admin.display(description=_("moderator"), ordering="moderator")
    def moderator_name(self, action: ModerationAction) -> SafeString | str:
        return "—" if action.moderator is None else _isolated(action.moderator)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
