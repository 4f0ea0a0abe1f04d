"""Child processes for the race test. Nothing here imports Django at module
level: a spawned process imports this module before Django is set up."""


def prepare(queue, count):
    import django

    django.setup()
    from django.core.management import call_command

    from communique.captcha import challenges

    call_command("migrate", verbosity=0)
    issued = []
    for _ in range(count):
        challenge_id = challenges.new_challenge_id()
        issued.append((challenge_id, challenges.code_for(challenge_id)))
    queue.put(issued)


def race(issued, barrier, queue):
    import django

    django.setup()
    from communique.captcha import challenges

    for challenge_id, code in issued:
        barrier.wait(timeout=60)
        queue.put((challenge_id, challenges.verify(challenge_id, code)))
