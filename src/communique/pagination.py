"""Pagination for lists whose length is known already."""

from django.core.paginator import Paginator


class KnownCountPaginator(Paginator):
    """A paginator told its count (remembered elsewhere), so that it need not
    count the rows again."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page, allow_empty_first_page=True)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count
