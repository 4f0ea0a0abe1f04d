"""Child processes for the race test. Nothing here imports Django at module
level: a spawned process imports this module before Django is set up."""


def prepare(queue, count):
    import django

    django.setup()
    from django.core.management import call_command

    from communique.captcha import challenges

    call_command("migrate", verbosity=0)
    issued = [challenges.issue() for _ in range(count)]
    queue.put([(item.id, item.code) for item in issued])


def race(issued, barrier, queue):
    import django

    django.setup()
    from django.conf import settings

    from communique.captcha import challenges

    settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS = 0
    for challenge_id, code in issued:
        barrier.wait(timeout=60)
        outcome = challenges.claim([challenge_id], code).outcome
        queue.put((challenge_id, outcome is challenges.Outcome.SOLVED))
