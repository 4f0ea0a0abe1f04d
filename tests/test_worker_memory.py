import threading

from communique import worker_memory
from communique.worker_memory import Kept


def test_the_least_recently_used_item_goes_first():
    kept = Kept("test-lru", size=2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # "b" is now the least recently used
    kept.put("c", 3)
    assert kept.get("b") is None
    assert (kept.get("a"), kept.get("c")) == (1, 3)
    kept.drop("a")
    assert kept.get("a") is None
    assert len(kept) == 1


def test_the_byte_budget_lets_go_of_the_oldest_and_refuses_giants():
    kept = Kept("test-bytes", size=100, max_bytes=10, weigh=len)
    kept.put("a", b"1234")
    kept.put("b", b"5678")
    kept.put("a", b"12")  # replacing an item counts its new weight only
    assert kept.weight == 6
    kept.put("c", b"abcdef")  # 12 bytes: "b", the least recently used, goes
    assert kept.get("b") is None
    assert kept.weight == 8
    kept.put("giant", b"x" * 11)
    assert kept.get("giant") is None
    assert kept.get("a") == b"12"


def test_forget_all_empties_every_registered_memory():
    first = Kept("test-first", size=5)
    second = Kept("test-second", size=5, weigh=len)
    first.put(1, "one")
    second.put(2, "two")
    assert worker_memory.usage()["test-second"] == (1, 3)
    worker_memory.forget_all()
    assert len(first) == len(second) == 0
    assert worker_memory.usage()["test-second"] == (0, 0)


def test_changed_settings_forget_everything(settings):
    kept = Kept("test-settings", size=5)
    kept.put(1, "one")
    settings.COMMUNIQUE_SITE_NAME = "Another name"
    assert kept.get(1) is None


def test_threads_share_it_without_going_over_its_size():
    kept = Kept("test-threads", size=50, max_bytes=400, weigh=lambda item: 10)

    def work(offset):
        for number in range(2000):
            kept.put((offset, number), number)
            kept.get((offset, number - 1))
            kept.drop((offset, number - 7))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(kept) <= 40
    assert kept.weight == 10 * len(kept)
