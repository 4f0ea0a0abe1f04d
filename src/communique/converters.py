"""URL converters that refuse numbers the database cannot hold, so that an
absurd id in an address is a 404 rather than an error."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class YearConverter(IdConverter):
    regex = "[1-9][0-9]{3}"


class MonthConverter(IdConverter):
    regex = "1[0-2]|0?[1-9]"


def register() -> None:
    register_converter(IdConverter, "id")
    register_converter(YearConverter, "year")
    register_converter(MonthConverter, "month")
