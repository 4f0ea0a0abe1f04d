"""Dates and numbers in the page's language: ``{% load local_formats %}``, then
``{{ statement.date|local_date }}``, ``{{ comment.created|local_datetime }}``,
``{{ count|local_digits }}``."""

import datetime as dt

from django import template
from django.utils import timezone

from communique import localformats

register = template.Library()


@register.filter
def local_date(value: dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return localformats.format_date(value)


@register.filter
def local_datetime(value: dt.datetime | None) -> str:
    return "" if value is None else localformats.format_datetime(value)


@register.filter
def local_digits(value: object) -> str:
    return localformats.digits(value)
