# Varnish in front of `communique serve`: see docs/deploy/varnish.md.
#
# For Varnish 7 with the xkey vmod (Debian: apt-get install varnish
# varnish-modules). Pages are cached as long as Communiqué's Cache-Control
# says, and dropped the moment Communiqué retires them: it sends
# `PURGE` with `xkey-purge: TAG ...` to the addresses in COMMUNIQUE_PURGE_URLS.
vcl 4.1;

import std;
import xkey;

# BACKEND: the address `communique serve --bind` listens on.
# (tests/pagecache/test_varnish.py rewrites this block's host and port.)
backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may purge: the addresses Communiqué's app servers connect from.
acl purgers {
    "127.0.0.1";
    "::1";
}

# X-Communique-Stale is this file's own note between its steps, never a
# client's: "refresh" when a stale copy exists but is too old to serve while
# the backend is healthy, "if-error" when fetching its replacement failed.

# X-Communique-Plain marks a reader who does not accept gzip: such readers
# get a copy of their own, fetched uncompressed, rather than the gzip copy
# unpacked by Varnish for every request (measured: docs/performance.md).

sub vcl_recv {
    if (req.restarts == 0) {
        unset req.http.X-Communique-Stale;
        unset req.http.X-Communique-Plain;
        if (req.http.Accept-Encoding !~ "gzip") {
            set req.http.X-Communique-Plain = "1";
        }
    }
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "No xkey-purge header"));
        }
        set req.http.xkey-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged"));
    }
    # Posts, staff pages, CAPTCHA images and anyone signed in or with a
    # message waiting go straight to Communiqué, with their cookies.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^(/[a-z]{2,3}(-[a-z0-9]+)?)?/(admin|moderation|captcha)([/?]|$)") {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;)\s*(sessionid|messages)=") {
        return (pass);
    }
    # Every other reader gets the page every anonymous reader gets.
    unset req.http.Cookie;
    # Only the query parameters pages read (page, lang, order of comments,
    # the search page's q and in, the sitemap's p, the JSON API's topic)
    # name a page, as in Communiqué's own cache (READ_PARAMETERS in
    # pagecache/keys.py):
    # utm_* or a random cache-buster would otherwise make a copy each, and
    # unique addresses could fill the cache.
    if (req.url ~ "\?") {
        set req.http.X-Communique-Query = regsuball(
            regsub(req.url, "^[^?]*\?", "&"), "&(?!(?:page|lang|order|q|in|p|topic)=)[^&]*", "");
        set req.url = regsub(req.url, "\?.*$", "");
        if (req.http.X-Communique-Query != "") {
            set req.url = req.url + "?" + regsub(req.http.X-Communique-Query, "^&", "");
        }
        unset req.http.X-Communique-Query;
    }
    if (req.http.X-Communique-Stale == "refresh") {
        set req.grace = 0s;
    } else if (req.http.X-Communique-Stale == "if-error") {
        set req.grace = 1y;  # undoes the 0s: the copy's own grace limits it
    }
    # Varnish's built-in vcl_recv follows: it lower-cases Host and passes
    # requests with an Authorization header.
}

sub vcl_hash {
    if (req.http.X-Communique-Plain) {
        hash_data("plain");
    }
    # Varnish's built-in vcl_hash follows: the URL and the host.
}

sub vcl_backend_fetch {
    if (bereq.http.X-Communique-Plain) {
        unset bereq.http.Accept-Encoding;
    }
}

sub vcl_hit {
    # Past max-age a copy is in grace, which lasts as long as stale-if-error
    # (see vcl_backend_response). While Communiqué answers, a stale copy is
    # served only within stale-while-revalidate, refreshed in the background;
    # past that, the reader waits for a fresh page: look again without grace.
    if (obj.ttl < 0s && !req.http.X-Communique-Stale &&
        obj.ttl + std.duration(regsub(obj.http.Cache-Control,
            "^.*\bstale-while-revalidate=(\d+).*$", "\1s"), 0s) < 0s) {
        set req.http.X-Communique-Stale = "refresh";
        return (restart);
    }
}

sub vcl_backend_response {
    # A failed refresh of a page with a stale copy keeps the copy: in the
    # background (stale-while-revalidate) the copy simply stays; in the
    # foreground vcl_synth looks again, allowing the whole grace.
    if (beresp.status >= 500 &&
        (bereq.is_bgfetch || bereq.http.X-Communique-Stale == "refresh")) {
        return (abandon);
    }
    # Only what Communiqué marks cacheable is cached: not an error page or a
    # redirect without Cache-Control (Varnish would keep those for two
    # minutes, and a statement published meanwhile would stay hidden).
    if (!beresp.http.Cache-Control) {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # The page's tags, for xkey.purge().
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Varnish itself takes the TTL from max-age (s-maxage first) and the grace
    # from stale-while-revalidate. Varnish serves stale copies only in grace
    # (keep only makes refreshes conditional), so a longer stale-if-error
    # lengthens the grace, and vcl_hit holds it to stale-while-revalidate
    # while Communiqué answers.
    if (beresp.http.Cache-Control ~ "\bstale-if-error=\d+" &&
        std.duration(regsub(beresp.http.Cache-Control,
            "^.*\bstale-if-error=(\d+).*$", "\1s"), 0s) > beresp.grace) {
        set beresp.grace = std.duration(regsub(beresp.http.Cache-Control,
            "^.*\bstale-if-error=(\d+).*$", "\1s"), 0s);
    }
}

sub vcl_backend_error {
    if (bereq.is_bgfetch || bereq.http.X-Communique-Stale == "refresh") {
        return (abandon);
    }
}

sub vcl_synth {
    if (resp.status == 503 && req.http.X-Communique-Stale == "refresh") {
        set req.http.X-Communique-Stale = "if-error";
        return (restart);
    }
    if (req.method == "PURGE") {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        if (resp.status == 200) {
            set resp.http.xkey-purged = req.http.xkey-purged;
        }
        set resp.body = resp.reason + {"
"};
        return (deliver);
    }
}

sub vcl_deliver {
    if (obj.hits == 0) {
        set resp.http.X-Cache = "MISS";
    } else if (obj.ttl < 0s) {
        set resp.http.X-Cache = "HIT, stale";
    } else {
        set resp.http.X-Cache = "HIT";
    }
    # The tags are between Communiqué and this cache; readers need not
    # download them with every page. (With a CDN in front of this Varnish
    # that purges by tag, keep them.)
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
}
