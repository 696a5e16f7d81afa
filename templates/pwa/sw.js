// JobTrax's service worker: the offline page, and nothing else. It caches no personal page
// and no answer of the server: every request goes to the network; only when a page cannot be
// reached does it answer with the offline page (a share made offline included).
const CACHE = "{{ cache_version|escapejs }}";
const OFFLINE_URL = "{{ offline_url|escapejs }}";
const SHARE_URL = "{{ share_url|escapejs }}";
const ASSETS = [OFFLINE_URL{% for asset in assets %}, "{{ asset|escapejs }}"{% endfor %}];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.mode !== "navigate") {
    const url = new URL(request.url);
    if (request.method === "GET" && url.origin === location.origin && ASSETS.includes(url.pathname)) {
      event.respondWith(fetch(request).catch(() => caches.match(request)));
    }
    return;
  }
  // A form sent from a page (sign-in, the cookie banner, a move) goes to the network as the
  // browser sends it; only page loads and the share target's POST fall back to the offline page.
  if (request.method !== "GET" && new URL(request.url).pathname !== SHARE_URL) {
    return;
  }
  event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
});
