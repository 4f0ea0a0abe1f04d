"""Numbers typed with Persian or Arabic-Indic digits: page numbers, and the
number, date and time fields of forms (the admin's among them)."""

import datetime as dt

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory

from communique import localforms
from communique.accounts.models import User
from communique.comments.models import Comment
from communique.pagination import read_page_number
from communique.publishing.models import Statement


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("2", 2),
        ("۲", 2),
        ("٢", 2),
        ("12", 12),
        ("۱۲", 12),
        ("١٢", 12),
        ("۱2", 12),  # a phone's keyboard may mix them
        ("999999999999999999", 999999999999999999),
    ],
)
def test_page_numbers_in_any_of_three_digit_sets(text, number):
    assert read_page_number(text) == number


@pytest.mark.parametrize(
    "text",
    [
        "",
        "0",
        "۰",
        "02",
        "۰۲",
        "-1",
        "+2",
        " 2",
        "2 ",
        "1_0",
        "2.0",
        "२",  # Devanagari: int() reads it, a page number it is not
        "２",  # fullwidth
        "1" * 19,
        "9" * 5000,  # int() refuses strings this long; so do we, quietly
        "two",
        "۲\n",
    ],
)
def test_what_is_not_a_page_number(text):
    assert read_page_number(text) is None


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (localforms.IntegerField(), "۲۳", 23),
        (localforms.IntegerField(), "٢٣", 23),
        (localforms.IntegerField(), "23", 23),
        (localforms.DateField(), "۲۰۲۲-۰۱-۲۲", dt.date(2022, 1, 22)),
        (localforms.DateField(), "٢٠٢٢-٠١-٢٢", dt.date(2022, 1, 22)),
        (localforms.DateField(), "2022-01-22", dt.date(2022, 1, 22)),
        (localforms.TimeField(), "۱۴:۰۵", dt.time(14, 5)),
        (localforms.TimeField(), "١٤:٠٥", dt.time(14, 5)),
    ],
)
def test_fields_read_persian_and_arabic_indic_digits(field, value, expected):
    assert field.clean(value) == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (localforms.IntegerField(), "۲۳a"),
        (localforms.DateField(), "۲۰۲۲-۱۳-۰۱"),
        (localforms.TimeField(), "۲۵:۰۰"),
    ],
)
def test_fields_still_refuse_what_is_not_a_value(field, value):
    with pytest.raises(forms.ValidationError):
        field.clean(value)


def test_split_date_and_time_read_any_digits(settings):
    settings.TIME_ZONE = "UTC"
    field = localforms.SplitDateTimeField()
    moment = field.clean(["۲۰۲۲-۰۱-۲۲", "١٤:٠٥"])
    assert (moment.date(), moment.time()) == (dt.date(2022, 1, 22), dt.time(14, 5))
    assert not field.has_changed(moment, ["۲۰۲۲-۰۱-۲۲", "۱۴:۰۵"])
    assert field.has_changed(moment, ["۲۰۲۲-۰۱-۲۳", "۱۴:۰۵"])


def test_integer_field_is_a_text_box_with_a_keypad():
    """Browsers empty a type=number box that holds Persian digits."""
    field = localforms.IntegerField(min_value=1)
    rendered = field.widget.render("n", "۲", attrs=field.widget_attrs(field.widget))
    assert 'type="text"' in rendered
    assert 'inputmode="numeric"' in rendered


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "names"),
    [
        (Statement, {"date": localforms.DateField}),
        (Statement, {"published_at": localforms.SplitDateTimeField}),
        (User, {"date_joined": localforms.SplitDateTimeField}),
        (User, {"last_login": localforms.SplitDateTimeField}),
    ],
)
def test_admin_forms_use_the_digit_folding_fields(model, names, admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = admin.site._registry[model]
    obj = admin_user if model is User else None  # the user admin's change form
    form = model_admin.get_form(request, obj)()
    for name, field_class in names.items():
        assert isinstance(form.fields[name], field_class), name


def test_admin_overrides_cover_every_integer_and_date_field():
    model_admin = admin.site._registry[Comment]
    field = Comment._meta.get_field("depth")  # a PositiveSmallIntegerField
    form_field = model_admin.formfield_for_dbfield(field, RequestFactory().get("/"))
    assert isinstance(form_field, localforms.IntegerField)
    assert form_field.clean("۳") == 3
    assert 'type="text"' in form_field.widget.render("depth", 3)
