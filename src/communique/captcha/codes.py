"""The codes people read from the image: what they are made of and how typed
answers are compared."""

import secrets

# No characters that look alike in the shipped font: no 0/O/Q/D-like pairs are
# kept together, no 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V.
ALPHABET = "ACEFHJKMNPRTWXY34679"
MIN_LENGTH, MAX_LENGTH = 4, 8

# Persian (U+06F0…) and Arabic-Indic (U+0660…) digits, typed on Persian and
# Arabic keyboards, stand for the Latin digits they look like in meaning.
_DIGITS = {
    **{0x06F0 + n: str(n) for n in range(10)},
    **{0x0660 + n: str(n) for n in range(10)},
}


def new_code(length: int) -> str:
    """A random code of ``length`` characters from ALPHABET."""
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise ValueError(f"a code has {MIN_LENGTH} to {MAX_LENGTH} characters")
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize(answer: str) -> str:
    """An answer as it is compared: digits made Latin, spaces gone, upper case."""
    return "".join(answer.translate(_DIGITS).split()).upper()


def matches(answer: str, code: str) -> bool:
    return secrets.compare_digest(normalize(answer).encode(), code.encode())


def could_be_a_code(normalized: str) -> bool:
    """Whether a normalized answer is made of the alphabet, at a code's length."""
    return MIN_LENGTH <= len(normalized) <= MAX_LENGTH and set(normalized) <= set(
        ALPHABET
    )
