"""The whole public site as files: pages rendered, links pointed at files.

``build_copy`` renders every page of the copy (``addresses``) through the
site's WSGI application, following links to find the later pages, then writes
each page's links for the copy (``links``) and gathers the static files the
pages use. It returns the files as bytes by name; ``manifest.sync`` puts
them on disk.

Links are relative (``../../archive/index.html``) so the copy works at any
address and from ``file://``, which serves no index files: hence every
folder link names its ``index.html``. With a base URL they are absolute under
it instead, for a CDN address.

Feeds, the sitemap and ``robots.txt`` must name absolute addresses. They name
the main site (``COMMUNIQUE_SITE_URL``) as the site renders them; with a base
URL, the addresses of pages in the copy are moved under the base URL, so a
feed read from the copy leads to the copy.
"""

from __future__ import annotations

import posixpath
import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation

from communique.mirrors.export import addresses, links
from communique.mirrors.export.addresses import Address
from communique.mirrors.export.rendering import Renderer, one_connection

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_COMMENT_ID = re.compile(rb'\sid="comment-(\d+)"')
_CSS_URL = re.compile(rb"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_TEXT_TYPES = ("application/atom+xml", "application/rss+xml", "text/plain", "xml")


@dataclass
class Copy:
    """The copy's files by name, and the pages that could not be copied."""

    files: dict[str, bytes] = field(default_factory=dict)
    skipped: list[tuple[str, int]] = field(default_factory=list)
    pages: int = 0


class _Site:
    """One run's pages, found and rendered, and where each one's file is."""

    def __init__(self, base_url: str | None) -> None:
        self.renderer = Renderer()
        self.base_url = base_url.rstrip("/") + "/" if base_url else None
        self.site_url = settings.COMMUNIQUE_SITE_URL.rstrip("/")
        self.static_prefix = urljoin(self.renderer.origin + "/", settings.STATIC_URL)
        self.pages: dict[Address, tuple[str, str, bytes]] = {}  # file, type, body
        self.aliases: dict[Address, Address] = {}
        self.comment_pages: dict[str, Address] = {}  # comment id -> its page
        self.static_names: set[str] = set()
        self.skipped: list[tuple[str, int]] = []
        self._addresses: dict[tuple[str, str], Address | None] = {}

    def address_of(self, path: str, query: str) -> Address | None:
        """``addresses.address_of``, asked once a run for each link: every
        page links to the same menus and lists, and resolving a path is the
        costliest step of reading a link."""
        key = (path, query)
        if key not in self._addresses:
            self._addresses[key] = addresses.address_of(path, query)
        return self._addresses[key]

    # Finding and rendering ------------------------------------------------
    def render_all(self) -> None:
        queue = deque(addresses.starting_addresses())
        seen = set(queue)

        def follow(address: Address | None) -> None:
            if address is not None and address not in seen:
                seen.add(address)
                queue.append(address)

        while queue:
            address = queue.popleft()
            rendered = self.renderer.get(address)
            if rendered.status in _REDIRECTS:
                target = self._address(urljoin(address.path, rendered.location))
                if target is not None:
                    self.aliases[address] = target
                follow(target)
                continue
            if rendered.status != 200:
                self.skipped.append((str(address), rendered.status))
                continue
            name = addresses.file_name(address, rendered.content_type)
            self.pages[address] = (name, rendered.content_type, rendered.body)
            if rendered.content_type.startswith("text/html"):
                self._remember_comments(address, rendered.body)
                for link in links.find_links(rendered.body):
                    follow(self._address(urljoin(str(address), link)))

    def _remember_comments(self, address: Address, body: bytes) -> None:
        """Where a comment's permalink leads: the page of the statement, in
        its usual order, that shows it."""
        if "order=" in address.query:
            return
        for number in _COMMENT_ID.findall(body):
            self.comment_pages.setdefault(number.decode(), address)

    def _address(self, url: str) -> Address | None:
        parts = urlsplit(urljoin(self.renderer.origin + "/", url))
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in {self.renderer.origin, self.renderer.public_origin}:
            return None
        return self.address_of(parts.path, parts.query)

    # Linking ----------------------------------------------------------------
    def file_of(self, address: Address | None) -> str | None:
        if address is None:
            return None
        address = self.aliases.get(address, address)
        page = self.pages.get(address)
        return page[0] if page else None

    def reference(self, from_file: str, to_file: str, fragment: str) -> str:
        """How the page in ``from_file`` names ``to_file``."""
        if self.base_url:
            target = self.base_url + quote(to_file)
        else:
            start = posixpath.dirname(from_file) or "."
            target = quote(posixpath.relpath(to_file, start))
        return target + (f"#{fragment}" if fragment else "")

    def link_for(self, page: Address, page_file: str, value: str, resource: bool):
        """The new value of an address on ``page`` (see ``links.LinkFor``)."""
        if not value or value.startswith("#"):
            return value
        parts = urlsplit(urljoin(self.renderer.origin + str(page), value))
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in {self.renderer.origin, self.renderer.public_origin}:
            return None if resource else value  # fetched from nowhere else
        if parts.netloc in value and not resource:
            return value  # the main site's own address, named as such on purpose
        absolute = urljoin(self.renderer.origin + "/", parts.path)
        if absolute.startswith(self.static_prefix):
            name = unquote(absolute[len(self.static_prefix) :])
            if self._static_source(name) is None:
                return None if resource else value
            self.static_names.add(name)
            return self.reference(page_file, "static/" + name, parts.fragment)
        target = self.file_of(self.address_of(parts.path, parts.query))
        fragment = parts.fragment
        if target is None and (comment := self._comment_page(parts.path)):
            target = self.file_of(comment[0])
            fragment = fragment or f"comment-{comment[1]}"
        if target is not None:
            return self.reference(page_file, target, fragment)
        if resource:
            return None
        query = f"?{parts.query}" if parts.query else ""
        return f"{self.site_url}{parts.path}{query}" + (
            f"#{parts.fragment}" if parts.fragment else ""
        )

    def _comment_page(self, path: str) -> tuple[Address, str] | None:
        """The page a comment's permalink (``/comments/<id>/``) leads to, and
        the comment's id."""
        language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
        try:
            with translation.override(language):
                match = resolve(unquote(path))
        except Resolver404:
            return None
        if match.view_name != "comments:permalink":
            return None
        number = str(match.kwargs["pk"])
        page = self.comment_pages.get(number)
        return (page, number) if page else None

    # Writing ----------------------------------------------------------------
    def page_bytes(self, address: Address, name: str, kind: str, body: bytes):
        if kind.startswith("text/html"):
            html = links.rewrite_page(
                body.decode("utf-8"),
                link_for=lambda value, resource: self.link_for(
                    address, name, value, resource
                ),
                comment_elsewhere=lambda language: self._comment_elsewhere(
                    address, language
                ),
            )
            return html.encode("utf-8")
        if self.base_url and any(text in kind for text in _TEXT_TYPES):
            return self._absolute_on_base(body)
        return body

    def _comment_elsewhere(self, address: Address, language: str) -> str:
        with translation.override(language or settings.LANGUAGE_CODE):
            return render_to_string(
                "mirrors/export/comment_elsewhere.html",
                {"url": f"{self.site_url}{address.path}#comment-form"},
            )

    def _absolute_on_base(self, body: bytes) -> bytes:
        """Feeds and the sitemap with the main site's addresses of copied
        pages moved under the base URL."""
        site = re.escape(self.site_url.encode())
        pattern = re.compile(site + rb"(/[^\s\"'<>]*)")

        def move(match: re.Match[bytes]) -> bytes:
            parts = urlsplit(match.group(1).decode("utf-8", "replace"))
            address = self.address_of(parts.path, parts.query)
            target = self.file_of(address)
            if target is None:
                return match.group(0)
            fragment = f"#{parts.fragment}" if parts.fragment else ""
            return (self.base_url + quote(target) + fragment).encode()

        return pattern.sub(move, body)

    def _static_source(self, name: str) -> str | None:
        if not name or ".." in name.split("/"):
            return None
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
        return finders.find(name)

    def static_files(self) -> dict[str, bytes]:
        """The static files the pages use, and those their stylesheets use."""
        found: dict[str, bytes] = {}
        waiting = sorted(self.static_names)
        while waiting:
            name = waiting.pop()
            if name in found or (source := self._static_source(name)) is None:
                continue
            with open(source, "rb") as handle:
                found[name] = handle.read()
            if name.endswith(".css"):
                for url in _CSS_URL.findall(found[name]):
                    used = url.decode("utf-8", "replace")
                    if not urlsplit(used).scheme and not used.startswith("/"):
                        joined = posixpath.normpath(
                            posixpath.join(posixpath.dirname(name), used)
                        )
                        waiting.append(urlsplit(joined).path)
        return {f"static/{name}": data for name, data in found.items()}


def build_copy(*, base_url: str | None = None) -> Copy:
    """Every file of the static copy, by name relative to its folder."""
    site = _Site(base_url)
    with one_connection():
        site.render_all()
    copy = Copy(skipped=site.skipped, pages=len(site.pages))
    for address, (name, kind, body) in site.pages.items():
        copy.files[name] = site.page_bytes(address, name, kind, body)
    copy.files |= site.static_files()
    return copy
