from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "communique.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from communique.comments.signals import comment_text_saved
        from communique.publishing.signals import statement_text_saved
        from communique.search import index

        statement_text_saved.connect(
            index.statements_saved, dispatch_uid="search-statements"
        )
        comment_text_saved.connect(index.comments_saved, dispatch_uid="search-comments")
