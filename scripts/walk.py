#!/usr/bin/env python3
"""Walk a running genxi as each demo login and report what is broken.

Usage (against a server with the demo loaded, e.g. ``genxi runserver 127.0.0.1:8100``)::

    python scripts/walk.py --base http://127.0.0.1:8100 --out /tmp/walk [--logins a,b] \
        [--depth 3] [--max-pages 400] [--fuzz]

For each login (every demo login by default; ``-`` is the anonymous visitor) it logs in
with the demo password, follows every same-site link from the start page breadth first (to
``--depth``; at most three URLs per path with different query strings; never the logout,
the admin's change pages, downloads of static files or photos), and records each page's
status and time. It flags:

- ``500``: any server error;
- ``shown-but-4xx``: a link the site showed to that person answering 403 or 404;
- ``slow``: a page over one second;
- ``raw``: a text node that looks like a code instead of words (``snake_case``,
  ``app.verb``, an English enum word such as ``pending``, ``None``, template leftovers);
- ``get-form-500`` / ``post-500``: with ``--fuzz``, every GET form (filters) is sent bad
  values (unknown choices, letters for numbers, huge numbers, reversed dates, a NUL) and
  every POST form bad input (empty, too long, wrong types, reversed dates, unknown choices,
  a spreadsheet formula, odd Unicode); a 500 is flagged, and so is a 4xx refusal whose
  page names no field (``refused-without-field``).

Writes ``OUT/pages.jsonl`` (one line per request) and ``OUT/findings.jsonl``, and prints
a summary per login. Standard library only. Posting fuzz writes to the database: run it
against a throw-away demo database, never a real one.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path

PASSWORD = "Genxi@2026"
LOGINS = [
    "admin", "security", "auditor", "jinchang", "community", "gridworker", "unit",
    "gw012002", "fuyuan", "guanjing", "yizhan", "sujin", "huangqiao", "yuanhe", "wuye",
    "scjg", "yhxf", "-",
]  # fmt: skip
SKIP = re.compile(
    r"^/(accounts/logout|static/|media/|photos/|api/v1/(?!docs$)|open311/|sw\.js|"
    r"manifest\.webmanifest|i18n/|admin/.*/(\d+/)?(delete|history)/|admin/logout|"
    r"accounts/2fa)"
)
SKIP_POST = re.compile(r"^/(accounts/|i18n/|admin/|filters/.*/delete)")
RAW_WORDS = {
    "pending", "open", "closed", "draft", "done", "new", "active", "inactive", "approved",
    "rejected", "cancelled", "canceled", "submitted", "accepted", "dispatched", "resolved",
    "overdue", "planned", "ongoing", "finished", "published", "archived", "none", "true",
    "false", "null", "street", "community", "grid", "district", "city", "open_", "waiting",
    "registered", "checked_in", "confirmed", "issued", "rectified", "verified", "escalated",
    "scheduled", "completed", "todo", "in_progress", "high", "medium", "low",
}  # fmt: skip
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
DOTTED = re.compile(r"^[a-z]+\.[a-z_]+$")


def pattern_of(path: str) -> str:
    """A path with its ids and codes (any segment holding a digit) as N."""
    return re.sub(r"/[^/]*\d[^/]*(?=/)", "/N", path)


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self.texts: list[str] = []
        self._skip = 0
        self._form: dict | None = None
        self._select: dict | None = None
        self._textarea: dict | None = None
        self.field_errors = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "code", "pre", "kbd", "samp"):
            self._skip += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        cls = a.get("class") or ""
        if (
            "data-error-for" in a
            or "invalid-feedback" in cls
            or "errorlist" in cls
            or "is-invalid" in cls
        ):
            self.field_errors += 1
        if tag == "form":
            self._form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action"),
                "fields": [],
                "enctype": a.get("enctype") or "",
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea", "button"):
            if not a.get("name"):
                return
            kind = (a.get("type") or "text").lower()
            f = {"tag": tag, "name": a["name"], "type": kind, "value": a.get("value") or "",
                 "options": [], "checked": "checked" in a}  # fmt: skip
            if tag == "button" or f["type"] in ("submit", "image", "button"):
                return
            self._form["fields"].append(f)
            if tag == "select":
                self._select = f
            if tag == "textarea":
                self._textarea = f
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["value"] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "pre", "kbd", "samp") and self._skip:
            self._skip -= 1
        if tag == "form":
            self._form = None
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data
            return
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def raw_texts(texts: list[str]) -> list[str]:
    out = []
    for t in texts:
        leftover = "{{" in t or "{%" in t or t in ("None", "True", "False")
        code = SNAKE.match(t) or DOTTED.match(t) or (t in RAW_WORDS)
        if leftover or code:
            out.append(t)
    return out


class Walker:
    def __init__(self, base: str, login: str, out: Path, depth: int, max_pages: int):
        self.base = base.rstrip("/")
        self.login = login
        self.out = out
        self.depth = depth
        self.max_pages = max_pages
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.pages: list[dict] = []
        self.findings: list[dict] = []
        self.forms: dict[str, tuple[str, dict]] = {}

    def csrf(self) -> str:
        for c in self.jar:
            if c.name == "csrftoken":
                return c.value
        return ""

    def request(self, path: str, data: dict | list | None = None, follow: bool = True):
        url = path if path.startswith("http") else self.base + path
        body = None
        headers = {"Referer": url, "Accept-Language": "zh-hans", "User-Agent": "genxi-walk"}
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.csrf()
        req = urllib.request.Request(url, data=body, headers=headers)
        t0 = time.monotonic()
        try:
            resp = self.opener.open(req, timeout=60)
            status, text, loc = resp.status, resp.read(), resp.headers.get("Location")
            ctype = resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            status, text, loc = e.code, e.read(), e.headers.get("Location")
            ctype = e.headers.get("Content-Type", "")
        except Exception as e:  # a reset connection, a timeout
            status, text, loc, ctype = 599, str(e).encode(), None, ""
        elapsed = time.monotonic() - t0
        if follow and status in (301, 302, 303) and loc:
            return self.request(urllib.parse.urljoin(url, loc), None, follow)
        return status, text, ctype, elapsed, url

    def do_login(self) -> bool:
        if self.login == "-":
            return True
        _, text, *_ = self.request("/accounts/login/")
        status, body, _, _, url = self.request(
            "/accounts/login/",
            {"csrfmiddlewaretoken": self.csrf(), "username": self.login, "password": PASSWORD},
        )
        return status == 200 and "/accounts/login/" not in url

    def flag(self, kind: str, url: str, **extra) -> None:
        self.findings.append({"login": self.login, "kind": kind, "url": url, **extra})

    def crawl(self) -> None:
        seen: set[str] = set()
        per_path: Counter[str] = Counter()
        starts = ["/"] if self.login != "-" else ["/", "/s/", "/stations/"]  # public pages
        queue: deque[tuple[str, int, str]] = deque((s, 0, "") for s in starts)
        while queue and len(self.pages) < self.max_pages:
            path, depth, parent = queue.popleft()
            status, body, ctype, elapsed, url = self.request(path)
            final = urllib.parse.urlsplit(url)
            rec = {"login": self.login, "url": path, "status": status, "ms": round(elapsed * 1000),
                   "parent": parent}  # fmt: skip
            self.pages.append(rec)
            if status >= 500:
                self.flag("500", path, parent=parent, body=body[:300].decode("utf-8", "replace"))
            elif status in (403, 404) and parent:
                self.flag("shown-but-4xx", path, status=status, parent=parent)
            if elapsed > 1.0:
                self.flag("slow", path, ms=rec["ms"])
            if "text/html" not in ctype or status != 200:
                continue
            page = Page()
            page.feed(body.decode("utf-8", "replace"))
            raw = raw_texts(page.texts)
            if raw and not final.path.startswith("/admin/"):
                self.flag("raw", path, texts=sorted(set(raw))[:10])
            for form in page.forms:
                action = urllib.parse.urljoin(url, form["action"] or url)
                apath = urllib.parse.urlsplit(action).path
                key = form["method"] + " " + pattern_of(apath)
                if key not in self.forms:
                    self.forms[key] = (action, form)
            if depth >= self.depth:
                continue
            for href in page.links:
                absu = urllib.parse.urljoin(url, href.split("#")[0])
                parts = urllib.parse.urlsplit(absu)
                if parts.netloc != urllib.parse.urlsplit(self.base).netloc:
                    continue
                p = parts.path + ("?" + parts.query if parts.query else "")
                if SKIP.match(parts.path) or p in seen:
                    continue
                pattern = pattern_of(parts.path)
                if parts.path.startswith("/admin/") and per_path[pattern] >= 1:
                    continue
                if per_path[pattern] >= 3:
                    continue
                per_path[pattern] += 1
                seen.add(p)
                queue.append((p, depth + 1, path))

    # -- fuzzing --------------------------------------------------------------------
    def base_values(self, form: dict) -> list[tuple[str, str]]:
        data = []
        for f in form["fields"]:
            if f["type"] in ("checkbox", "radio") and not f["checked"]:
                continue
            if f["type"] == "file":
                continue
            v = f["value"]
            if f["tag"] == "select" and not v and f["options"]:
                v = next((o for o in f["options"] if o), "")
            data.append((f["name"], v))
        return data

    def variants(self, form: dict) -> dict[str, list[tuple[str, str]]]:
        base = self.base_values(form)
        kinds = {f["name"]: f for f in form["fields"]}

        def editable(name: str) -> bool:
            f = kinds.get(name)
            return (
                bool(f)
                and f["type"] not in ("hidden", "checkbox", "radio")
                and name != "csrfmiddlewaretoken"
            )

        def sub(fn) -> list[tuple[str, str]]:
            return [(n, fn(n, v) if editable(n) else v) for n, v in base]

        def typed(n: str, v: str) -> str:
            t = kinds[n]["type"]
            if t == "number":
                return "12abc"
            if t in ("date", "datetime-local", "time", "month"):
                return "2026-13-45"
            if kinds[n]["tag"] == "select":
                return "zz-unknown"
            return v

        def huge(n: str, v: str) -> str:
            t = kinds[n]["type"]
            return "99999999999999999999" if t == "number" or kinds[n]["tag"] == "select" else v

        def reversed_dates(n: str, v: str) -> str:
            t = kinds[n]["type"]
            if t in ("date", "datetime-local"):
                later = any(w in n for w in ("start", "from", "begin", "since", "open"))
                d = "2030-06-01" if later else "2020-01-01"
                return d + ("T09:00" if t == "datetime-local" else "")
            return v

        def text_only(val: str):
            def f(n: str, v: str) -> str:
                t = kinds[n]["type"]
                if kinds[n]["tag"] == "select" or t in (
                    "number",
                    "date",
                    "datetime-local",
                    "time",
                    "email",
                    "tel",
                ):
                    return v
                return val

            return f

        out = {
            "empty": sub(lambda n, v: ""),
            "too-long": sub(text_only("长" * 5000)),
            "wrong-types": sub(typed),
            "huge-numbers": sub(huge),
            "reversed-dates": sub(reversed_dates),
            "formula": sub(text_only('=HYPERLINK("http://evil.example","点我")')),
            "unicode": sub(
                text_only(
                    "\u202eA\u0000\ufeff𝕏\u200d👨‍👩‍👧 \udcff".encode("utf-8", "replace").decode()
                )
            ),
            "nul": sub(text_only("a\x00b")),
        }
        # A select with no option chosen and a bogus duplicate value.
        out["unknown-choice"] = [
            (n, "zz-unknown" if kinds.get(n, {}).get("tag") == "select" else v) for n, v in base
        ]
        return out

    def fuzz(self) -> int:
        sent = 0
        for _key, (action, form) in sorted(self.forms.items()):
            apath = urllib.parse.urlsplit(action).path
            if form["method"] == "get":
                if SKIP.match(apath):
                    continue
                for name, data in self.variants(form).items():
                    qs = urllib.parse.urlencode(
                        [(n, v) for n, v in data if n != "csrfmiddlewaretoken"]
                    )
                    status, body, *_ = self.request(action.split("?")[0] + "?" + qs)
                    sent += 1
                    if status >= 500:
                        self.flag(
                            "get-form-500",
                            apath,
                            variant=name,
                            body=body[:300].decode("utf-8", "replace"),
                        )
                continue
            if SKIP_POST.match(apath) or "multipart" in form["enctype"] and not form["fields"]:
                continue
            for name, data in self.variants(form).items():
                # a fresh token: a page may have rotated it
                data = [(n, self.csrf() if n == "csrfmiddlewaretoken" else v) for n, v in data]
                status, body, ctype, _, url = self.request(action, data, follow=False)
                sent += 1
                if status >= 500:
                    self.flag(
                        "post-500", apath, variant=name, body=body[:400].decode("utf-8", "replace")
                    )
                elif status in (400, 403) and "text/html" in ctype:
                    page = Page()
                    page.feed(body.decode("utf-8", "replace"))
                    if not page.field_errors and status == 400:
                        self.flag("refused-without-field", apath, variant=name, status=status)
        return sent


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", default="http://127.0.0.1:8100")
    ap.add_argument("--out", default="/tmp/walk")
    ap.add_argument("--logins", default=",".join(LOGINS))
    ap.add_argument("--depth", type=int, default=3)
    ap.add_argument("--max-pages", type=int, default=400)
    ap.add_argument("--fuzz", action="store_true")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for login in args.logins.split(","):
        w = Walker(args.base, login, out, args.depth, args.max_pages)
        if not w.do_login():
            print(f"{login}: login failed")
            continue
        t0 = time.monotonic()
        w.crawl()
        with open(out / "pages.jsonl", "a") as fh:
            for p in w.pages:
                fh.write(json.dumps(p, ensure_ascii=False) + "\n")
        sent = w.fuzz() if args.fuzz else 0
        with open(out / "findings.jsonl", "a") as fh:
            for f in w.findings:
                fh.write(json.dumps(f, ensure_ascii=False) + "\n")
        kinds = Counter(f["kind"] for f in w.findings)
        slowest = max(w.pages, key=lambda p: p["ms"]) if w.pages else {}
        print(
            f"{login}: {len(w.pages)} pages, {len(w.forms)} forms, {sent} fuzz requests, "
            f"{dict(kinds)}, slowest {slowest.get('ms')} ms {slowest.get('url')}, "
            f"{time.monotonic() - t0:.0f} s",
            flush=True,
        )


if __name__ == "__main__":
    main()
