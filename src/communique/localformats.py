"""Dates, years and digits as each language writes them.

Persian is written with the Solar Hijri (Jalali) calendar and Persian digits:
the 22nd of January 2022 is ``۲ بهمن ۱۴۰۰``. English gets the full month name,
``January 22, 2022``. Other languages get Django's own date format for them
and Latin digits unless the tables below say otherwise; adding a language that
needs neither a new calendar nor new digits takes only its catalogue.

The calendar arithmetic is jdatetime's, not ours. ``<time datetime>`` values
stay ISO 8601 and are not made here.
"""

from __future__ import annotations

import datetime as dt

import jdatetime
from django.utils import dates, formats, timezone, translation

# The ten digits each language writes, where they are not Latin.
_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
DIGITS = {
    "fa": _PERSIAN_DIGITS,
    "ps": _PERSIAN_DIGITS,
    "ar": _ARABIC_INDIC_DIGITS,
    "ckb": _ARABIC_INDIC_DIGITS,
}
# Languages whose readers date things by the Solar Hijri calendar.
JALALI = frozenset({"fa"})
# Date formats (Django's date-format letters) that differ from Django's own.
DATE_FORMATS = {"en": "F j, Y"}
DATETIME_FORMATS = {"en": "F j, Y, H:i"}

# Persian and Arabic-Indic digits to Latin, a ``str.translate`` table: one
# table for every place that reads digits (pages, forms, CAPTCHA answers,
# text matching).
TO_LATIN_DIGITS = str.maketrans(
    {
        **{ord(d): str(n) for n, d in enumerate(_PERSIAN_DIGITS)},
        **{ord(d): str(n) for n, d in enumerate(_ARABIC_INDIC_DIGITS)},
    }
)


def _base(language: str | None) -> str:
    return (language or translation.get_language() or "en").split("-")[0].lower()


def digits(value: object, language: str | None = None) -> str:
    """``value`` as text, its Latin digits written as ``language`` writes them
    (the active language when None)."""
    text = str(value)
    own = DIGITS.get(_base(language))
    if own is None:
        return text
    return text.translate(str.maketrans("0123456789", own))


def latin_digits(text: str) -> str:
    """Persian and Arabic-Indic digits made Latin, for parsing what people type."""
    return text.translate(TO_LATIN_DIGITS)


def uses_jalali(language: str | None = None) -> bool:
    return _base(language) in JALALI


def calendar_year(day: dt.date, language: str | None = None) -> int:
    """The year ``day`` falls in, in the calendar of ``language``."""
    if uses_jalali(language):
        return jdatetime.date.fromgregorian(date=day).year
    return day.year


def calendar_year_bounds(
    year: int, language: str | None = None
) -> tuple[dt.date, dt.date]:
    """The first and last (Gregorian) days of ``year`` of the calendar of
    ``language``; a ValueError for a year the calendar cannot hold."""
    if uses_jalali(language):
        try:
            first = jdatetime.date(year, 1, 1).togregorian()
            following = jdatetime.date(year + 1, 1, 1).togregorian()
        except (ValueError, OverflowError) as error:
            raise ValueError(f"no such year: {year}") from error
        return first, following - dt.timedelta(days=1)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def calendar_month(day: dt.date, language: str | None = None) -> tuple[int, int]:
    """The (year, month) ``day`` falls in, in the calendar of ``language``."""
    if uses_jalali(language):
        jalali = jdatetime.date.fromgregorian(date=day)
        return jalali.year, jalali.month
    return day.year, day.month


def calendar_month_bounds(
    year: int, month: int, language: str | None = None
) -> tuple[dt.date, dt.date]:
    """The first and last (Gregorian) days of ``month`` of ``year`` in the
    calendar of ``language``; a ValueError for a month it cannot hold."""
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    make = jdatetime.date if uses_jalali(language) else dt.date
    try:
        first, after = make(year, month, 1), make(*following, 1)
    except (ValueError, OverflowError) as error:
        raise ValueError(f"no such month: {year}-{month}") from error
    if uses_jalali(language):
        first, after = first.togregorian(), after.togregorian()
    return first, after - dt.timedelta(days=1)


def month_name(month: int, language: str | None = None) -> str:
    """The name of ``month`` (1 to 12) in the calendar of ``language``."""
    if uses_jalali(language):
        return jdatetime.date.j_months_fa[month - 1]
    with translation.override(_base(language)):
        return str(dates.MONTHS[month])


def format_date(day: dt.date, language: str | None = None) -> str:
    """``day`` as readers of ``language`` write a date in running text."""
    language = _base(language)
    if uses_jalali(language):
        jalali = jdatetime.date.fromgregorian(date=day)
        month = jdatetime.date.j_months_fa[jalali.month - 1]
        return digits(f"{jalali.day} {month} {jalali.year}", language)
    return digits(_django_format(day, language, DATE_FORMATS, "DATE_FORMAT"), language)


def format_datetime(moment: dt.datetime, language: str | None = None) -> str:
    """``moment`` in the site's time zone, as a date and a 24-hour time."""
    language = _base(language)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    if uses_jalali(language):
        # "،" is the Persian comma.
        time = digits(f"{moment:%H:%M}", language)
        return f"{format_date(moment.date(), language)}، {time}"
    return digits(
        _django_format(moment, language, DATETIME_FORMATS, "DATETIME_FORMAT"), language
    )


def _django_format(
    value: dt.date, language: str, own: dict[str, str], django_name: str
) -> str:
    with translation.override(language):
        return formats.date_format(value, own.get(language, django_name))
