"""What stands in front of the app in bench/pages.py: nginx and Varnish.

nginx serves the saved statement page as a file (the limit every figure is
divided by) and, on a second port, with the app's Cache-Control, as a static
backend for Varnish. Varnish runs the shipped docs/deploy/varnish.vcl with its
`backend default` block rewritten (as tests/pagecache/test_varnish.py does),
as whoever runs the script, in a folder of its own.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from serving import fetch, free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent
VCL = ROOT / "docs" / "deploy" / "varnish.vcl"
BACKEND_BLOCK = re.compile(
    r'(backend default \{\s*\.host = )"[^"]*"(;\s*\.port = )"[^"]*"(;)'
)


def varnishd() -> str | None:
    return shutil.which("varnishd") or shutil.which(
        "varnishd", path="/usr/sbin:/usr/local/sbin"
    )


@dataclass
class Nginx:
    """nginx on two ports: ``limit`` serves the saved page as a file (and
    ``/fly/page.html``, compressed on the fly); ``backend`` serves it with
    the app's Cache-Control and Vary, for Varnish in front."""

    limit: int
    backend: int
    cache_control: str


def nginx_config(root: Path, ports: Nginx) -> str:
    temp = " ".join(
        f"{kind}_temp_path {root};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""daemon off; worker_processes 2; pid {root}/nginx.pid;
error_log {root}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; default_type text/html; {temp}
  gzip on; gzip_vary on; gzip_comp_level 6; gzip_static on;
  server {{ listen 127.0.0.1:{ports.limit}; root {root}/html;
    location /fly/ {{ gzip_static off; }} }}
  server {{ listen 127.0.0.1:{ports.backend}; root {root}/html;
    add_header Cache-Control "{ports.cache_control}"; }} }}
"""


class Varnish:
    """varnishd running ``vcl`` (the shipped one unless another is given) with
    its backend at ``backend`` (HOST:PORT)."""

    def __init__(self, root: Path, name: str, backend: str, vcl: Path = VCL) -> None:
        self.folder = root / f"varnish-{name}"
        self.folder.mkdir()
        host, _, port = backend.rpartition(":")
        text, found = BACKEND_BLOCK.subn(rf'\1"{host}"\2"{port}"\3', vcl.read_text())
        if found != 1:
            sys.exit(f"{vcl} has no `backend default` block to point at {backend}")
        (self.folder / "bench.vcl").write_text(text)
        self.port = free_port()

    @contextmanager
    def running(self) -> Iterator[None]:
        command = [
            varnishd(), "-F", "-j", "none", "-n", str(self.folder / "work"),
            "-a", f"127.0.0.1:{self.port}", "-T", "127.0.0.1:0",
            "-f", str(self.folder / "bench.vcl"), "-s", "malloc,256m",
        ]  # fmt: skip
        log = (self.folder / "varnishd.log").open("w")
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait_for(f"http://127.0.0.1:{self.port}/")
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.close()

    def counters(self) -> tuple[int, int]:
        """(cache hits, client requests) so far, from varnishstat."""
        output = subprocess.run(
            ["varnishstat", "-n", str(self.folder / "work"), "-1", "-j",
             "-f", "MAIN.cache_hit", "-f", "MAIN.client_req"],
            capture_output=True, text=True, check=True, timeout=30,
        ).stdout  # fmt: skip
        found = json.loads(output)
        found = found.get("counters", found)
        return found["MAIN.cache_hit"]["value"], found["MAIN.client_req"]["value"]

    def warm(self, url: str, encoding: str) -> None:
        """Fetch ``url`` until Varnish answers it from its cache."""
        for _ in range(5):
            _, headers, _ = fetch(url, encoding)
            if headers.get("X-Cache") == "HIT":
                return
        sys.exit(f"Varnish does not keep {url}: X-Cache {headers.get('X-Cache')}")
