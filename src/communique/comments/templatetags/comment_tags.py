"""``{% comment_section %}``: the comments under a statement, and the form.

The statement page belongs to the publishing app, which knows nothing of
comments; it places this tag where the comments go. The tag reads
``statement`` from the page's context, and ``comment_form`` and
``comment_preview`` when a comment view shows a form again.
"""

from __future__ import annotations

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString

from communique.comments import controls
from communique.comments.display import comment_section as section_context

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_section(context: Context) -> SafeString:
    statement = context.get("statement")
    if statement is None or statement.pk is None or context.get("preview"):
        return SafeString("")  # an editor's preview of a statement not saved
    section = section_context(
        context["request"],
        statement,
        form=context.get("comment_form"),
        preview=context.get("comment_preview"),
    )
    partial = context.template.engine.get_template("comments/_section.html")
    with context.push(**section):
        return partial.render(context)


@register.filter(is_safe=False)
def one_line(value: object) -> str:
    """A reader's value as one line of plain text, for mail (``controls``)."""
    return controls.one_line(value)
