import os
import stat
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from communique.environment import (
    ConfigError,
    cache_config,
    database_config,
    read_bool,
    read_data_dir,
    read_http_urls,
    read_int,
    read_list,
    secret_key,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("True", True),
        ("YES", True),
        ("on", True),
        ("1", True),
        (" yes ", True),
        ("false", False),
        ("False", False),
        ("no", False),
        ("off", False),
        ("0", False),
    ],
)
def test_read_bool_words(value, expected):
    assert read_bool({"COMMUNIQUE_DEBUG": value}, "DEBUG", default=not expected) is (
        expected
    )


@pytest.mark.parametrize(
    "env", [{}, {"COMMUNIQUE_DEBUG": ""}, {"COMMUNIQUE_DEBUG": " "}]
)
@pytest.mark.parametrize("default", [True, False])
def test_read_bool_empty_gives_default(env, default):
    assert read_bool(env, "DEBUG", default=default) is default


@pytest.mark.parametrize("value", ["maybe", "2", "yep", "truee", "-1"])
def test_read_bool_bad_value(value):
    with pytest.raises(ConfigError) as excinfo:
        read_bool({"COMMUNIQUE_DEBUG": value}, "DEBUG", default=False)
    assert "COMMUNIQUE_DEBUG" in str(excinfo.value)
    assert value in str(excinfo.value)
    assert excinfo.value.variable == "COMMUNIQUE_DEBUG"


def test_config_error_is_improperly_configured():
    assert issubclass(ConfigError, ImproperlyConfigured)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("10", 10), (" 7 ", 7), ("1", 1), ("250", 250), ("", 5)],
)
def test_read_int_good(value, expected):
    env = {"COMMUNIQUE_STATEMENTS_PER_PAGE": value}
    assert read_int(env, "STATEMENTS_PER_PAGE", default=5, minimum=1) == expected


def test_read_int_missing_gives_default():
    assert read_int({}, "STATEMENTS_PER_PAGE", default=5, minimum=1) == 5


@pytest.mark.parametrize("value", ["ten", "1.5", "0", "-3", "1e3"])
def test_read_int_bad(value):
    env = {"COMMUNIQUE_STATEMENTS_PER_PAGE": value}
    with pytest.raises(ConfigError) as excinfo:
        read_int(env, "STATEMENTS_PER_PAGE", default=5, minimum=1)
    assert "COMMUNIQUE_STATEMENTS_PER_PAGE" in str(excinfo.value)
    assert value in str(excinfo.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("example.org", ["example.org"]),
        ("example.org,www.example.org", ["example.org", "www.example.org"]),
        (" a.example , b.example ", ["a.example", "b.example"]),
        ("", ["localhost"]),
    ],
)
def test_read_list_good(value, expected):
    env = {"COMMUNIQUE_ALLOWED_HOSTS": value}
    assert read_list(env, "ALLOWED_HOSTS", default=["localhost"]) == expected


def test_read_list_default_is_a_copy():
    default = ["localhost"]
    result = read_list({}, "ALLOWED_HOSTS", default=default)
    result.append("example.org")
    assert default == ["localhost"]


@pytest.mark.parametrize("value", ["a,,b", "a,", ",a", "a, ,b"])
def test_read_list_rejects_empty_items(value):
    with pytest.raises(ConfigError) as excinfo:
        read_list({"COMMUNIQUE_ALLOWED_HOSTS": value}, "ALLOWED_HOSTS", default=[])
    assert "COMMUNIQUE_ALLOWED_HOSTS" in str(excinfo.value)


def test_read_data_dir_relative_to_cwd(tmp_path):
    path = read_data_dir({"COMMUNIQUE_DATA_DIR": "site/data"}, cwd=tmp_path)
    assert path == tmp_path / "site" / "data"
    assert path.is_dir()


def test_read_data_dir_default_is_var_in_cwd(tmp_path):
    assert read_data_dir({}, cwd=tmp_path) == tmp_path / "var"
    assert (tmp_path / "var").is_dir()


def test_read_data_dir_absolute(tmp_path):
    wanted = tmp_path / "absolute"
    path = read_data_dir({"COMMUNIQUE_DATA_DIR": str(wanted)}, cwd=tmp_path / "x")
    assert path == wanted
    assert wanted.is_dir()


def test_read_data_dir_existing_folder(tmp_path):
    (tmp_path / "data").mkdir()
    assert read_data_dir({"COMMUNIQUE_DATA_DIR": "data"}, cwd=tmp_path) == (
        tmp_path / "data"
    )


def test_read_data_dir_rejects_a_file(tmp_path):
    (tmp_path / "data").write_text("not a folder")
    with pytest.raises(ConfigError) as excinfo:
        read_data_dir({"COMMUNIQUE_DATA_DIR": "data"}, cwd=tmp_path)
    assert "COMMUNIQUE_DATA_DIR" in str(excinfo.value)


def test_read_data_dir_rejects_a_folder_below_a_file(tmp_path):
    (tmp_path / "data").write_text("not a folder")
    with pytest.raises(ConfigError) as excinfo:
        read_data_dir({"COMMUNIQUE_DATA_DIR": "data/inner"}, cwd=tmp_path)
    assert "COMMUNIQUE_DATA_DIR" in str(excinfo.value)


def test_database_config_default_is_sqlite_in_data_dir(tmp_path):
    config = database_config({}, tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "communique.sqlite3")
    options = config["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "PRAGMA journal_mode=WAL;" in options["init_command"]
    assert options["timeout"] > 0


def test_database_config_explicit_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    config = database_config({"COMMUNIQUE_DATABASE_URL": url}, tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "other.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.parametrize(
    "url",
    [
        "postgres://user@127.0.0.1:5432/test",
        "postgresql://user:secret@127.0.0.1:5432/test",
        "postgres://user@127.0.0.1/test",
    ],
)
def test_database_config_postgres(url, tmp_path):
    config = database_config({"COMMUNIQUE_DATABASE_URL": url}, tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "test"
    assert config["HOST"] == "127.0.0.1"
    assert config["USER"] == "user"
    assert "OPTIONS" not in config or "transaction_mode" not in config["OPTIONS"]


@pytest.mark.parametrize(
    "url",
    [
        "mysql://user@127.0.0.1:3306/test",
        "garbage",
        "postgres://user@127.0.0.1:5432/",
        "postgres://user@127.0.0.1:5432",
    ],
)
def test_database_config_rejects(url, tmp_path):
    with pytest.raises(ConfigError) as excinfo:
        database_config({"COMMUNIQUE_DATABASE_URL": url}, tmp_path)
    assert "COMMUNIQUE_DATABASE_URL" in str(excinfo.value)


def test_database_config_error_does_not_show_the_password(tmp_path):
    url = "mysql://user:hunter2hunter2@127.0.0.1:3306/test"
    with pytest.raises(ConfigError) as excinfo:
        database_config({"COMMUNIQUE_DATABASE_URL": url}, tmp_path)
    assert "hunter2hunter2" not in str(excinfo.value)


def test_cache_config_default_is_files_in_data_dir(tmp_path):
    config = cache_config({}, tmp_path)
    assert config["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert config["LOCATION"] == str(tmp_path / "cache")
    assert config["OPTIONS"]["MAX_ENTRIES"] >= 10_000


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        (
            "redis://127.0.0.1:6379/1",
            "django.core.cache.backends.redis.RedisCache",
        ),
        (
            "filecache:///srv/cache",
            "django.core.cache.backends.filebased.FileBasedCache",
        ),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache"),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache"),
    ],
)
def test_cache_config_urls(url, backend, tmp_path):
    config = cache_config({"COMMUNIQUE_CACHE_URL": url}, tmp_path)
    assert config["BACKEND"] == backend


def test_cache_config_redis_location(tmp_path):
    url = "redis://127.0.0.1:6379/1"
    config = cache_config({"COMMUNIQUE_CACHE_URL": url}, tmp_path)
    assert config["LOCATION"] == url


@pytest.mark.parametrize(
    "url", ["nosuch://127.0.0.1", "memcache://127.0.0.1:11211", "garbage"]
)
def test_cache_config_rejects(url, tmp_path):
    with pytest.raises(ConfigError) as excinfo:
        cache_config({"COMMUNIQUE_CACHE_URL": url}, tmp_path)
    assert "COMMUNIQUE_CACHE_URL" in str(excinfo.value)


def test_secret_key_explicit(tmp_path):
    key = "k" * 50
    assert secret_key({"COMMUNIQUE_SECRET_KEY": key}, tmp_path) == key
    assert not (tmp_path / "secret_key").exists()


def test_secret_key_too_short(tmp_path):
    with pytest.raises(ConfigError) as excinfo:
        secret_key({"COMMUNIQUE_SECRET_KEY": "short-key"}, tmp_path)
    assert "COMMUNIQUE_SECRET_KEY" in str(excinfo.value)
    assert "short-key" not in str(excinfo.value)


def test_secret_key_generated_once(tmp_path):
    first = secret_key({}, tmp_path)
    path = tmp_path / "secret_key"
    assert len(first) >= 32
    assert path.read_text().strip() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_key({}, tmp_path) == first


def test_secret_key_leaves_no_temporary_files(tmp_path):
    secret_key({}, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_secret_key_differs_between_data_dirs(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert secret_key({}, tmp_path / "a") != secret_key({}, tmp_path / "b")


def test_secret_key_read_from_existing_file(tmp_path):
    (tmp_path / "secret_key").write_text("s" * 40 + "\n")
    assert secret_key({}, tmp_path) == "s" * 40


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\n", id="blank-line"),
        pytest.param(b"too-short\n", id="short"),
        pytest.param(b"\xff\xfe" * 30, id="binary"),
        pytest.param("é".encode() * 40, id="not-ascii"),
    ],
)
def test_secret_key_unusable_file(content, tmp_path):
    (tmp_path / "secret_key").write_bytes(content)
    with pytest.raises(ImproperlyConfigured):
        secret_key({}, tmp_path)


def _run_check(tmp_path, **variables):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMUNIQUE_")}
    env["DJANGO_SETTINGS_MODULE"] = "communique.settings"
    env["COMMUNIQUE_DATA_DIR"] = str(tmp_path)
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-m", "communique", "check"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_command_stops_on_bad_variable(tmp_path):
    result = _run_check(tmp_path, COMMUNIQUE_DEBUG="maybe")
    assert result.returncode == 2
    assert "COMMUNIQUE_DEBUG" in result.stderr
    assert "maybe" in result.stderr
    assert "Traceback" not in result.stderr


def test_command_runs_with_good_environment(tmp_path):
    result = _run_check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").is_file()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, []),
        ("http://127.0.0.1:6081/", ["http://127.0.0.1:6081/"]),
        (
            "http://10.0.0.5:6081, https://purger.internal/purge",
            ["http://10.0.0.5:6081", "https://purger.internal/purge"],
        ),
        ("http://[::1]:6081/", ["http://[::1]:6081/"]),
    ],
)
def test_read_http_urls_good(value, expected):
    env = {} if value is None else {"COMMUNIQUE_PURGE_URLS": value}
    assert read_http_urls(env, "PURGE_URLS", default=[]) == expected


@pytest.mark.parametrize(
    "value",
    [
        "127.0.0.1:6081",
        "ftp://127.0.0.1/",
        "http://",
        "http://127.0.0.1:99999/",
        "http://127.0.0.1:0/",
        "http://127.0.0.1:6081/,",
    ],
)
def test_read_http_urls_rejects(value):
    with pytest.raises(ConfigError, match="COMMUNIQUE_PURGE_URLS"):
        read_http_urls({"COMMUNIQUE_PURGE_URLS": value}, "PURGE_URLS", default=[])
