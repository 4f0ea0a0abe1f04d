from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from communique import localforms, textformats
from communique.publishing import services
from communique.publishing.admin_versions import VersionsAdminMixin
from communique.publishing.models import Statement, StatementRevision, Topic


class StatementRevisionInline(admin.TabularInline):
    model = StatementRevision
    extra = 0
    can_delete = False
    fields = ("replaced_at", "replaced_by", "title", "signature", "body_excerpt")
    readonly_fields = fields
    verbose_name_plural = _("Earlier versions")

    @admin.display(description=_("body"))
    def body_excerpt(self, revision: StatementRevision) -> str:
        return revision.body_source[:200]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def _format_tips() -> str:
    return format_html_join(
        "",
        "<p><strong>{}:</strong> {}</p>",
        (
            (text_format.label, " ".join(str(tip) for tip in text_format.tips))
            for text_format in map(textformats.get_format, textformats.EDITOR_FORMATS)
        ),
    )


def _moderation_choices() -> list[tuple[str, str]]:
    """The statement's moderation choices, the site's default named."""
    choices = Statement.Moderation
    default = (
        choices.BEFORE
        if settings.COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL
        else choices.AFTER
    )
    return [
        ("", _("Site default: %(choice)s") % {"choice": default.label}),
        (choices.BEFORE, choices.BEFORE.label),
        (choices.AFTER, choices.AFTER.label),
    ]


class StatementAdminForm(forms.ModelForm):
    class Meta:
        model = Statement
        fields = ("language", "topics")  # the admin's fieldsets add the rest

    def clean(self) -> dict:
        cleaned = super().clean()
        language = cleaned.get("language")
        others = [t for t in cleaned.get("topics") or [] if t.language != language]
        if language and others:
            self.add_error(
                "topics",
                _("Choose topics in the statement's language: %(topics)s is not.")
                % {"topics": ", ".join(f"{t.name} ({t.language})" for t in others)},
            )
        return cleaned


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "language")
    list_filter = ("language",)
    search_fields = ("name", "slug")
    formfield_overrides = localforms.ADMIN_FORMFIELD_OVERRIDES

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.base_fields["slug"].required = False
        form.base_fields["slug"].help_text = _(
            "The last part of the topic's web address. Made from the name "
            "when left empty."
        )
        return form

    def save_model(self, request: HttpRequest, obj: Topic, form, change) -> None:
        services.save_topic(topic=obj)

    def delete_model(self, request: HttpRequest, obj: Topic) -> None:
        services.delete_topics(Topic.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        services.delete_topics(queryset)


class TrashFilter(admin.SimpleListFilter):
    """Statements in use by default; the trash on request."""

    title = _("trash")
    parameter_name = "trash"

    def lookups(self, request, model_admin):
        return [("yes", _("In the trash"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.trashed()
        return queryset.not_trashed()

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Not in the trash"),
        }
        yield from list(super().choices(changelist))[1:]


@admin.register(Statement)
class StatementAdmin(VersionsAdminMixin, admin.ModelAdmin):
    form = StatementAdminForm
    change_form_template = "admin/publishing/statement/change_form.html"
    list_display = (
        "title_in_its_language",
        "language",
        "state",
        localforms.dated_column(Statement, "date"),
        localforms.dated_column(Statement, "published_at", with_time=True),
        localforms.dated_column(Statement, "updated", with_time=True),
    )
    list_filter = (TrashFilter, "status", "language", "commenting", "date")
    date_hierarchy = "date"
    search_fields = ("title", "slug", "signature", "body_source")
    autocomplete_fields = ("translation_of", "topics")
    readonly_fields = ("author", "created", "updated", "trashed_at")
    inlines = [StatementRevisionInline]
    actions = ["publish", "unpublish", "restore"]
    formfield_overrides = localforms.ADMIN_FORMFIELD_OVERRIDES
    fieldsets = (
        (None, {"fields": ("title", "slug", "body_source", "body_format")}),
        (
            _("Signature, date and language"),
            {"fields": ("signature", "date", "language", "translation_of", "topics")},
        ),
        (
            _("Publishing"),
            {
                "fields": (
                    "status",
                    "published_at",
                    "commenting",
                    "moderation",
                    "author",
                )
            },
        ),
        (_("History"), {"fields": ("created", "updated", "trashed_at")}),
    )

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.base_fields["slug"].required = False
        form.base_fields["body_source"].help_text = _format_tips()
        if "moderation" in form.base_fields:
            form.base_fields["moderation"].choices = _moderation_choices()
        return form

    @admin.display(description=_("title"), ordering="title")
    def title_in_its_language(self, statement: Statement) -> SafeString:
        """The title marked with its language and direction, which also sets
        it apart from the text around it."""
        return format_html(
            '<span lang="{}" dir="{}">{}</span>',
            statement.language,
            "rtl" if statement.is_bidi else "ltr",
            statement.title,
        )

    @admin.display(description=_("state"), ordering="status")
    def state(self, statement: Statement) -> str:
        if statement.is_scheduled:
            return str(_("Scheduled"))
        return statement.get_status_display()

    def save_model(self, request: HttpRequest, obj: Statement, form, change) -> None:
        services.save_statement(statement=obj, user=request.user)

    def delete_model(self, request: HttpRequest, obj: Statement) -> None:
        """Deleting moves to the trash; the trash empties itself after 30 days."""
        services.trash_statements(Statement.objects.filter(pk=obj.pk))
        services.empty_trash()

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        services.trash_statements(queryset)
        services.empty_trash()

    def get_deleted_objects(self, objs, request: HttpRequest):
        """Deleting only moves statements to the trash: nothing else goes with
        them, so no permission on their comments is needed."""
        statements = list(objs)
        return (
            [str(statement) for statement in statements],
            {Statement._meta.verbose_name_plural: len(statements)},
            set(),
            [],
        )

    @admin.action(description=_("Restore selected statements from the trash"))
    def restore(self, request: HttpRequest, queryset: QuerySet[Statement]) -> None:
        count = services.restore_statements(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d statement was restored.",
                "%(count)d statements were restored.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Publish selected statements"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Statement]) -> None:
        count = services.publish_statements(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d statement was published.",
                "%(count)d statements were published.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected statements"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Statement]) -> None:
        count = services.unpublish_statements(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d statement was taken back to draft.",
                "%(count)d statements were taken back to draft.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("preview/", preview, name="publishing_statement_preview"),
            *self.versions_urls(),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """The statement page as the form would save it; nothing is stored."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (
            self.has_add_permission(request) or self.has_change_permission(request)
        ):
            return HttpResponse(status=403)
        form = self.get_form(request)(request.POST)
        form.is_valid()  # fills form.instance with whatever is usable
        statement = form.instance
        statement.render_body()
        context = {
            "statement": statement,
            "preview": True,
            "errors": _errors_by_label(form),
        }
        return render(request, "publishing/statement.html", context)


def _errors_by_label(form: forms.BaseForm) -> list[tuple[str, list[str]]]:
    """The form's errors as (the field's label, its messages) pairs, in the
    form's order; errors of the whole form come first, with no label."""
    labels = {name: str(field.label) for name, field in form.fields.items()}
    return sorted(
        (
            (labels.get(name, ""), list(messages))
            for name, messages in form.errors.items()
        ),
        key=lambda pair: pair[0] != "",
    )
