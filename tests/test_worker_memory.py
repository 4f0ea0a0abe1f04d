import threading

from communique.worker_memory import Kept


def test_the_least_recently_used_item_goes_first():
    kept = Kept(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # "b" is now the least recently used
    kept.put("c", 3)
    assert kept.get("b") is None
    assert (kept.get("a"), kept.get("c")) == (1, 3)
    kept.drop("a")
    assert kept.get("a") is None
    assert len(kept) == 1


def test_threads_share_it_without_going_over_its_size():
    kept = Kept(50)

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
    assert len(kept) <= 50
