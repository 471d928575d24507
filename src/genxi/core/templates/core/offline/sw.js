// genxi's service worker (docs/offline.md), served at /sw.js so that it covers the site.
// Pages: from the network when there is one (and kept), else the copy kept last time, else
// the offline page. Static files: the kept copy first. Posts are never touched here: the
// page's outbox (outbox.js) keeps and sends them. Logging out forgets every kept page.
const VERSION = "{{ version }}";
const PAGES = "genxi-pages-" + VERSION;
const STATIC = "genxi-static-" + VERSION;
const OFFLINE = "{{ offline_url }}";
const SHELL = {{ shell|safe }};
const NEVER = ["/accounts/", "/admin/", "/api/", "/audit/", "/sw.js"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC).then((c) => c.addAll(SHELL.concat([OFFLINE]))).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== PAGES && k !== STATIC).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function keepable(url, response) {
  return response && response.ok && response.type === "basic" && !response.redirected &&
    !NEVER.some((p) => url.pathname.startsWith(p));
}

async function page(request) {
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    if (keepable(url, response)) {
      const cache = await caches.open(PAGES);
      await cache.put(request.url, response.clone());
    }
    return response;
  } catch (e) {
    const kept = await caches.match(request.url, { ignoreVary: true });
    return kept || (await caches.match(OFFLINE)) || Response.error();
  }
}

async function staticFile(request) {
  const kept = await caches.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) (await caches.open(STATIC)).put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("{{ static_url }}")) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request));
  }
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "forget") {
    event.waitUntil(caches.delete(PAGES));
  } else if (data.type === "precache" && Array.isArray(data.urls)) {
    event.waitUntil(caches.open(PAGES).then((cache) => Promise.all(data.urls.slice(0, 100).map(async (u) => {
      const url = new URL(u, self.location.origin);
      if (url.origin !== self.location.origin) return;
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (keepable(url, response)) await cache.put(url.href, response);
      } catch (e) { /* no connection now: kept next time */ }
    }))));
  }
});
