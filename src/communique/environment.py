"""Reading Communiqué's configuration from ``COMMUNIQUE_*`` environment variables.

Every function here takes the environment as a mapping, so that settings.py can
pass ``os.environ`` and tests can pass a plain dict. A value that cannot be used
raises ``ImproperlyConfigured`` with a message that names the variable.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import environ
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

PREFIX = "COMMUNIQUE_"

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})

DATABASE_SCHEMES = frozenset({"sqlite", "postgres", "postgresql", "pgsql"})
# Short names people write, and the ones django-environ knows them by.
CACHE_SCHEME_ALIASES = {"locmem": "locmemcache", "dummy": "dummycache"}
CACHE_BACKENDS = frozenset(
    {
        "django.core.cache.backends.filebased.FileBasedCache",
        "django.core.cache.backends.redis.RedisCache",
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)
SECRET_KEY_FILE = "secret_key"
# Only the account that runs the site may read what it keeps: the database
# holds sessions and password hashes, the cache holds sessions' pages.
PRIVATE_UMASK = 0o077
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
SQLITE_FILE = "communique.sqlite3"
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")
FILE_CACHE_ENTRIES = 20_000


class ConfigError(ImproperlyConfigured):
    """A ``COMMUNIQUE_*`` variable holds a value that cannot be used."""

    def __init__(self, name: str, value: str, expected: str) -> None:
        self.variable = PREFIX + name
        super().__init__(
            f"{self.variable}={value!r} is not valid: expected {expected}."
        )


def _without_password(url: str) -> str:
    """The URL with any password replaced, fit for an error message."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(an unreadable URL)"
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def _raw(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(PREFIX + name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def read_bool(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    value = _raw(env, name)
    if value is None:
        return default
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(name, value, "true or false (also 1/0, yes/no, on/off)")


def read_int(
    env: Mapping[str, str], name: str, *, default: int, minimum: int = 0
) -> int:
    value = _raw(env, name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(name, value, "a whole number") from None
    if number < minimum:
        raise ConfigError(name, value, f"a whole number of at least {minimum}")
    return number


def read_str(env: Mapping[str, str], name: str, *, default: str) -> str:
    value = _raw(env, name)
    return default if value is None else value


def read_choice(
    env: Mapping[str, str], name: str, *, choices: tuple[str, ...], default: str
) -> str:
    """One of ``choices``, written in any case."""
    value = _raw(env, name)
    if value is None:
        return default
    if value.lower() not in choices:
        raise ConfigError(name, value, " or ".join(choices))
    return value.lower()


def read_list(env: Mapping[str, str], name: str, *, default: list[str]) -> list[str]:
    value = _raw(env, name)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise ConfigError(name, value, "a comma-separated list without empty items")
    return items


def read_languages(env: Mapping[str, str]) -> tuple[str, list[tuple[str, str]]]:
    """The site's default language and its languages as Django's ``LANGUAGES``
    pairs, each named in its own language ("English", "فارسی"), from
    ``COMMUNIQUE_LANGUAGE_CODE`` and ``COMMUNIQUE_LANGUAGES``."""
    default = read_str(env, "LANGUAGE_CODE", default="en").lower()
    codes = [code.lower() for code in read_list(env, "LANGUAGES", default=["en", "fa"])]
    for code in codes:
        if code not in LANG_INFO or "fallback" in LANG_INFO[code]:
            raise ConfigError(
                "LANGUAGES", ",".join(codes), f"{code!r} is not a language Django knows"
            )
    if default not in codes:
        raise ConfigError(
            "LANGUAGE_CODE", default, f"one of COMMUNIQUE_LANGUAGES ({','.join(codes)})"
        )
    names = [(code, LANG_INFO[code]["name_local"]) for code in dict.fromkeys(codes)]
    return default, names


def _is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        port = parts.port  # a ValueError when not a number from 0 to 65535
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.hostname) and port != 0


def read_http_urls(
    env: Mapping[str, str], name: str, *, default: list[str]
) -> list[str]:
    """A comma-separated list of ``http://`` or ``https://`` addresses."""
    urls = read_list(env, name, default=default)
    for url in urls:
        if not _is_http_url(url):
            raise ConfigError(
                name,
                _without_password(url),
                "comma-separated addresses such as http://127.0.0.1:6081/",
            )
    return urls


_ONION_HOST = re.compile(r"(?:[a-z0-9-]+\.)*[a-z2-7]{56}\.onion")


def read_onion_url(env: Mapping[str, str]) -> str:
    """``COMMUNIQUE_ONION_URL``: the site's address as a Tor onion service
    (version 3: 56 letters and digits, then ``.onion``), without a path; empty
    when unset."""
    value = _raw(env, "ONION_URL")
    if value is None:
        return ""
    parts = urlsplit(value)
    if (
        parts.scheme not in {"http", "https"}
        or not _ONION_HOST.fullmatch(parts.hostname or "")
        or parts.path not in {"", "/"}
        or parts.query
        or parts.fragment
        or parts.username
    ):
        raise ConfigError(
            "ONION_URL", value, "an onion address such as http://<56 letters>.onion"
        )
    return value.rstrip("/")


def read_data_dir(env: Mapping[str, str], *, cwd: Path | None = None) -> Path:
    """The folder for the SQLite file, the secret key, the cache and static files."""
    value = _raw(env, "DATA_DIR") or "var"
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = (cwd or Path.cwd()) / path
    if path.exists() and not path.is_dir():
        raise ConfigError("DATA_DIR", value, "a folder, not a file")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(
            "DATA_DIR", value, f"a folder that can be created ({error.strerror})"
        ) from None
    return path


def database_config(env: Mapping[str, str], data_dir: Path) -> dict[str, Any]:
    """``DATABASES["default"]`` from ``COMMUNIQUE_DATABASE_URL``; SQLite by default."""
    value = _raw(env, "DATABASE_URL") or f"sqlite:///{data_dir / SQLITE_FILE}"
    shown = _without_password(value)
    expected = "sqlite:///PATH or postgres://USER:PASSWORD@HOST:PORT/NAME"
    if value.partition("://")[0] not in DATABASE_SCHEMES:
        raise ConfigError("DATABASE_URL", shown, expected)
    try:
        config = environ.Env.db_url_config(value)
    except (ImproperlyConfigured, ValueError, KeyError):
        raise ConfigError("DATABASE_URL", shown, expected) from None
    if not config.get("NAME"):
        raise ConfigError("DATABASE_URL", shown, expected)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = sqlite_options()
        config["CONN_MAX_AGE"] = 600
    else:
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = True
    return config


def sqlite_options() -> dict[str, Any]:
    """SQLite tuned for a web server: WAL, a busy timeout, write locks taken early."""
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA temp_store=MEMORY;"
            "PRAGMA foreign_keys=ON;"
        ),
    }


def cache_config(env: Mapping[str, str], data_dir: Path) -> dict[str, Any]:
    """``CACHES["default"]``: shared by every worker of one machine by default."""
    value = _raw(env, "CACHE_URL")
    if value is None:
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(data_dir / "cache"),
            # Django's default of 300 entries makes nearly every write cull the
            # folder once pages, tags and rate limits share it.
            "OPTIONS": {"MAX_ENTRIES": FILE_CACHE_ENTRIES},
        }
    shown = _without_password(value)
    expected = "redis://HOST:PORT/DB, filecache:///PATH, locmem:// or dummy://"
    scheme, separator, rest = value.partition("://")
    if separator and scheme in CACHE_SCHEME_ALIASES:
        value = f"{CACHE_SCHEME_ALIASES[scheme]}://{rest}"
    try:
        config = environ.Env.cache_url_config(value)
    except (ImproperlyConfigured, ValueError, KeyError):
        raise ConfigError("CACHE_URL", shown, expected) from None
    if config.get("BACKEND") not in CACHE_BACKENDS:
        raise ConfigError("CACHE_URL", shown, expected)
    return config


def secret_key(env: Mapping[str, str], data_dir: Path) -> str:
    """``COMMUNIQUE_SECRET_KEY``, or a key generated once and kept in DATA_DIR."""
    value = _raw(env, "SECRET_KEY")
    if value is not None:
        if len(value) < 32:
            raise ConfigError("SECRET_KEY", "…", "at least 32 characters")
        return value
    path = data_dir / SECRET_KEY_FILE
    if not path.exists():
        _write_new_key(path)
    try:
        key = path.read_text(encoding="ascii").strip()
    except (UnicodeDecodeError, OSError):
        key = ""
    if len(key) < 32:
        raise ImproperlyConfigured(
            f"{path} holds no usable secret key; delete it to generate a new one, "
            f"or set {PREFIX}SECRET_KEY."
        )
    return key


def _write_new_key(path: Path) -> None:
    """Write a new key to ``path`` unless another process got there first.

    The key is written to a private temporary file and linked into place, so a
    worker starting at the same moment reads either nothing or a whole key.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(50) + "\n")
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


def make_private(data_dir: Path, database: Mapping[str, Any]) -> None:
    """Close the data folder, the SQLite database and its ``-wal`` and ``-shm``
    files, the cache folder and the secret key to other local users.

    New files are private through the umask the ``communique`` command and
    the WSGI module set (``PRIVATE_UMASK``); this closes the ones an earlier
    version left readable. SQLite gives its ``-wal`` and ``-shm`` files the
    database file's mode, and Django's file cache writes each entry 0600 in a
    0700 folder. A file that belongs to another account is left as it is.
    """
    paths = [(data_dir, PRIVATE_FOLDER), (data_dir / "cache", PRIVATE_FOLDER)]
    paths.append((data_dir / SECRET_KEY_FILE, PRIVATE_FILE))
    if database.get("ENGINE") == "django.db.backends.sqlite3":
        name = Path(str(database["NAME"]))
        paths += [(Path(f"{name}{suffix}"), PRIVATE_FILE) for suffix in SQLITE_SUFFIXES]
    for path, mode in paths:
        try:
            if path.stat().st_mode & 0o777 != mode:
                path.chmod(mode)
        except (FileNotFoundError, PermissionError):
            pass
