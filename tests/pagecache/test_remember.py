"""Values remembered until their tag changes, kept by each worker as well."""

import pytest
from django.core.cache import cache

from communique.pagecache import generation, tags


class Counted:
    """A computation that counts how often it ran."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self) -> int:
        self.runs += 1
        return self.runs


@pytest.fixture
def compute() -> Counted:
    return Counted()


def remembered(compute, seconds=60):
    return tags.remember("statement:1", "answer", compute, seconds=seconds)


def test_the_worker_answers_without_the_shared_cache(compute):
    assert remembered(compute) == 1
    cache.clear()  # the shared copy is gone; the generation has not moved
    assert remembered(compute) == 1
    assert compute.runs == 1


def test_invalidating_the_tag_computes_again(compute):
    remembered(compute)
    tags.invalidate("statement:1")
    assert remembered(compute) == 2


def test_any_move_of_the_generation_asks_the_shared_cache_again(compute):
    remembered(compute)
    generation.advance()  # e.g. another statement changed: this tag did not
    assert remembered(compute) == 1
    cache.clear()
    generation.advance()
    assert remembered(compute) == 2


def test_time_alone_ends_the_workers_copy(compute):
    assert remembered(compute, seconds=0) == 1
    cache.clear()
    assert remembered(compute, seconds=0) == 2
