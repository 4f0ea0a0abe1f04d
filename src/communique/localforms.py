"""Form fields that read numbers, dates and times typed with Persian or
Arabic-Indic digits as well as Latin ones.

``localformats`` writes numbers as each language does; these fields read them
back. Each folds the digits to Latin (``localformats.latin_digits``) and then
parses as Django's own field does. The calendar is not converted: a date field
reads the Gregorian dates of its input formats, whatever digits they are
written in.

Browsers empty an ``<input type="number">`` holding anything but a Latin number
(HTML's value sanitisation), so the integer field is a text input with
``inputmode="numeric"``, which still brings up a keypad of digits on phones.

The admin modules set ``formfield_overrides = ADMIN_FORMFIELD_OVERRIDES``;
the admin's own widgets (calendar, clock) are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models

from communique import localformats
from communique.localformats import latin_digits


def _folded(value: Any) -> Any:
    """``value`` with its digits made Latin: a text, or the texts of a
    split date and time; anything else as it is."""
    if isinstance(value, str):
        return latin_digits(value)
    if isinstance(value, list | tuple):
        return type(value)(_folded(part) for part in value)
    return value


class IntegerField(forms.IntegerField):
    widget = forms.TextInput

    def to_python(self, value: Any) -> int | None:
        return super().to_python(_folded(value))

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "numeric"}


class DateField(forms.DateField):
    def to_python(self, value: Any) -> Any:
        return super().to_python(_folded(value))


class TimeField(forms.TimeField):
    def to_python(self, value: Any) -> Any:
        return super().to_python(_folded(value))


class SplitDateTimeField(forms.SplitDateTimeField):
    """The admin's date and time boxes, read as one moment."""

    def clean(self, value: Any) -> Any:
        return super().clean(_folded(value))

    def has_changed(self, initial: Any, data: Any) -> bool:
        return super().has_changed(initial, _folded(data))


ADMIN_FORMFIELD_OVERRIDES: dict[type[models.Field], dict[str, Any]] = {
    # BigIntegerField has an entry of its own among the admin's defaults.
    **{
        field: {
            "form_class": IntegerField,
            "widget": forms.TextInput(attrs={"class": "vIntegerField"}),
        }
        for field in (models.IntegerField, models.BigIntegerField)
    },
    models.DateField: {"form_class": DateField},
    models.TimeField: {"form_class": TimeField},
    models.DateTimeField: {"form_class": SplitDateTimeField},
}


def dated_column(
    model: type[models.Model], name: str, *, with_time: bool = False
) -> Callable[[models.Model], str]:
    """An admin ``list_display`` column showing the date (or date and time)
    field ``name`` in the calendar and digits of the admin's language, sorted
    by the field."""
    field = model._meta.get_field(name)

    def column(obj: models.Model) -> str:
        value = getattr(obj, name)
        if value is None:
            return "—"
        if with_time:
            return localformats.format_datetime(value)
        return localformats.format_date(value)

    column.__name__ = f"{name}_in_calendar"
    return admin.display(description=field.verbose_name, ordering=name)(column)
