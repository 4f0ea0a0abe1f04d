"""What the browser checks need, where they find it, and how they start it.

Shared by the tests (conftest.py) and `make screenshots` (screenshots.py).
"""

import http.cookiejar
import importlib.util
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from tests.live_server import communique, fetch, running_server

REPO_ROOT = Path(__file__).resolve().parents[2]
# Debian's Chromium: browsers downloaded by `playwright install` cannot run here.
CHROMIUM = Path("/usr/bin/chromium")
# Installed by `npm ci` from package-lock.json; never fetched from a CDN.
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = REPO_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Headless, and without the background traffic to Google's hosts that Chromium
# otherwise starts on its own (it would pollute the request log).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]

NPM_CI = "run `npm ci` in the repository (needs Node.js and npm)"


def browser_missing() -> str | None:
    """Why Chromium cannot be driven here, or None when it can."""
    if importlib.util.find_spec("playwright") is None:
        return "install Playwright for Python (pip install -e '.[dev]')"
    if not CHROMIUM.is_file():
        return "install Debian's chromium (apt-get install chromium)"
    return None


def axe_missing() -> str | None:
    if not AXE_SCRIPT.is_file():
        return f"{NPM_CI} to install axe-core"
    return None


def vnu_missing() -> str | None:
    if shutil.which("java") is None:
        return "install a Java runtime (apt-get install default-jre-headless)"
    if not VNU_JAR.is_file():
        return f"{NPM_CI} to install the Nu HTML Checker (vnu-jar)"
    return None


def launch_chromium(playwright):
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


@dataclass
class DemoSite:
    """A running `communique serve` over a data folder with the demo content."""

    base_url: str
    data_dir: Path
    admin_password: str = field(repr=False)
    _settings: dict[str, int] = field(default_factory=dict, repr=False)

    @cached_property
    def _session(self) -> http.cookiejar.CookieJar:
        """The demo admin's session cookies, signed in once."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        login = self.base_url + "/admin/login/"
        page = fetch(login, opener=opener)[2].decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        form = {
            "csrfmiddlewaretoken": token.group(1),
            "username": "admin",
            "password": self.admin_password,
            "next": "/admin/",
        }
        url, _, _ = fetch(
            login,
            opener=opener,
            data=urllib.parse.urlencode(form).encode(),
            headers={"Referer": login},
        )
        if not url.endswith("/admin/"):
            raise RuntimeError("the demo admin could not sign in")
        return jar

    def get(self, path: str, *, signed_in: bool = False) -> tuple[int, bytes]:
        """(status, body) of the page at ``path``, as served, errors included."""
        handlers = (
            [urllib.request.HTTPCookieProcessor(self._session)] if signed_in else []
        )
        opener = urllib.request.build_opener(*handlers)
        try:
            _, status, body = fetch(self.base_url + path, opener=opener)
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read()
        return status, body

    def _python(self, script: str) -> str:
        """What ``script`` prints, run with the server's settings and data."""
        result = communique(
            "shell", "--no-imports", "-c", script, data_dir=self.data_dir
        )
        if result.returncode != 0:
            raise RuntimeError(f"`communique shell` failed:\n{result.stderr}")
        return result.stdout.strip()

    def captcha_code(self, cookie_value: str) -> str:
        """The code of the newest CAPTCHA the browser's challenge cookie names,
        read on the server as tests/captcha read it: the browser tests cannot
        read images."""
        code = self._python(
            "from django.core import signing; "
            "from communique.captcha import challenges, cookie; "
            f"ids = signing.loads({cookie_value!r}, salt=cookie.SALT); "
            "print(challenges.code_of(ids[-1]))"
        )
        if code in {"", "None"}:
            raise RuntimeError("no CAPTCHA code for the browser's cookie")
        return code

    def setting(self, name: str) -> int:
        """A numeric setting of the server (0 when it has none), read once."""
        if name not in self._settings:
            self._settings[name] = int(
                self._python(
                    "from django.conf import settings; "
                    f"print(getattr(settings, {name!r}, 0))"
                )
            )
        return self._settings[name]

    def session_cookies(self) -> list[dict[str, str]]:
        """The signed-in session's cookies, as Playwright's add_cookies takes them."""
        return [
            {"name": cookie.name, "value": cookie.value, "url": self.base_url}
            for cookie in self._session
        ]


@contextmanager
def demo_site(data_dir: Path, *, workers: int = 2) -> Iterator[DemoSite]:
    """`communique demo --no-serve` into ``data_dir``, then serve it."""
    result = communique("demo", "--no-serve", data_dir=data_dir)
    if result.returncode != 0:
        raise RuntimeError(f"`communique demo` failed:\n{result.stderr}")
    password = re.search(r"password: (\S+)", result.stdout).group(1)
    # Every page the browser tests post from comes from one address; the
    # per-minute limit is tested where it is the subject (tests/antispam).
    limits = {
        "COMMUNIQUE_ANTISPAM_COMMENTS_PER_MINUTE": "60",
        "COMMUNIQUE_ANTISPAM_COMMENTS_PER_HOUR": "600",
    }
    with running_server(data_dir, workers=workers, env=limits) as base_url:
        yield DemoSite(base_url, data_dir, password)
