/* 连心桥·走访 service worker (scope /field/): the shell and its assets from the cache when
   there is no signal; data and sync requests always go to the network (the page keeps the
   data and the queue in IndexedDB). Rendered by lianxin.field.views.service_worker. */
"use strict";
const CACHE = "lianxin-field-{{ version }}";
const SHELL = "{% url 'field:shell' %}";
const ASSETS = [SHELL, "{% url 'field:manifest' %}"{% for a in assets %}, "{{ a|escapejs }}"{% endfor %}];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((k) => k.startsWith("lianxin-field-") && k !== CACHE).map((k) => caches.delete(k))
      ))
      .then(() => self.clients.claim())
  );
});

function isShell(url) {
  return url.pathname === SHELL || url.pathname === SHELL + "index.html";
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === "navigate" && isShell(url)) {
    // Network first (a fresh page and CSRF token when there is signal), the cached shell when not.
    event.respondWith(
      fetch(req).then((resp) => {
        if (resp.ok && !resp.redirected && resp.type === "basic") {
          const copy = resp.clone();
          caches.open(CACHE).then((cache) => cache.put(SHELL, copy));
        }
        return resp;
      }).catch(() => caches.match(SHELL))
    );
    return;
  }
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(req)));
  }
});
