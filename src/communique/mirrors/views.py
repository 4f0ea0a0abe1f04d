"""The mirrors page and ``/mirrors.json``: where to read the site when its
main address is blocked. Both are the same for every reader and cached like
pages; without ``COMMUNIQUE_MIRRORS`` there is nothing to show (404)."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from communique.mirrors import signing
from communique.pagecache import cached_page


def _document() -> dict:
    if not settings.COMMUNIQUE_MIRRORS:
        raise Http404("This site lists no mirrors.")
    return signing.mirror_list()


@cached_page
def mirrors_page(request: HttpRequest) -> HttpResponse:
    document = _document()
    signature = document["signature"]
    context = {
        "document": document,
        "fingerprint": signature and signing.fingerprint(signature["public_key"]),
    }
    return render(request, "mirrors/mirrors.html", context)


@cached_page
def mirrors_json(request: HttpRequest) -> HttpResponse:
    body = json.dumps(_document(), ensure_ascii=False, indent=2) + "\n"
    return HttpResponse(body, content_type="application/json")
