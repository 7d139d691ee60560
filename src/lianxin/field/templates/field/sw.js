/* 连心桥·走访 service worker (scope /field/): the shell and its assets from the cache when
   there is no signal; data and sync requests always go to the network (the page keeps the
   data and the queue in IndexedDB). Rendered by lianxin.field.views.service_worker.
   A cached page belongs to the user named in its USER_HEADER: a page answered for another
   user, or a log-in redirect (logged out, session over), drops it, so the next person on a
   shared phone is never shown it (the log-out also deletes every cache: accounts/logout.js). */
"use strict";
const CACHE = "lianxin-field-{{ version }}";
const SHELL = "{% url 'field:shell' %}";
const USER_HEADER = "{{ user_header }}";
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

function forgetPages() {
  return caches.keys().then((keys) => Promise.all(
    keys.filter((k) => k.startsWith("lianxin-field-")).map((k) => caches.open(k).then((c) => c.delete(SHELL)))
  ));
}

function keepPage(resp) {
  const user = resp.headers.get(USER_HEADER) || "";
  const copy = resp.clone();
  return caches.match(SHELL)
    .then((hit) => (hit && (hit.headers.get(USER_HEADER) || "") !== user ? forgetPages() : null))
    .then(() => (user ? caches.open(CACHE).then((cache) => cache.put(SHELL, copy)) : null));
}

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
        let done = null;
        if (resp.ok && !resp.redirected && resp.type === "basic") done = keepPage(resp);
        else if (resp.type === "opaqueredirect" || resp.redirected || resp.status === 401 || resp.status === 403) done = forgetPages();
        return done ? done.catch(() => null).then(() => resp) : resp;
      }).catch(() => caches.match(SHELL))
    );
    return;
  }
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(req)));
  }
});
