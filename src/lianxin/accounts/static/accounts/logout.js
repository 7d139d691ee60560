/* 连心桥: a shared phone forgets this site's offline data when its worker logs out.
   - The log-out button (form[data-lx-logout]) first counts the field app's unsent records
     (IndexedDB lianxin-field, store queue). None: the phone's copies are deleted and the form
     is posted. Some: the confirm box (accounts/partials/logout_confirm.html) asks 上传后再退出
     or 删除并退出; only the latter deletes and posts. The server's answer to the POST carries
     Clear-Site-Data: "cache", "storage" (accounts.views.LogoutView): without JS that alone clears.
   - Every page names its user (<meta name="lx-user">): when it differs from the user this phone
     last saw, the previous user's copies are deleted before anything is shown (window.lxOffline
     .checkUser, which field.js waits for before opening its database).
   No user-facing text lives here: it comes from the page (data-text-*, gettext). */
(function () {
  "use strict";
  var PREFIX = "lianxin-";  // IndexedDB databases and CacheStorage caches of this site
  var FIELD_DB = "lianxin-field";
  var USER_KEY = "lx_field_user";  // localStorage: the user this phone last saw
  var KEY_PREFIXES = ["lx_field", "lianxin-field"];  // local/session storage keys of the field app

  function storageKeys(store) {
    var keys = [];
    try {
      for (var i = 0; i < store.length; i++) keys.push(store.key(i));
    } catch (e) { /* private mode */ }
    return keys;
  }

  function clearKeys() {
    [window.localStorage, window.sessionStorage].forEach(function (store) {
      storageKeys(store).forEach(function (key) {
        if (KEY_PREFIXES.some(function (p) { return key.indexOf(p) === 0; })) {
          try { store.removeItem(key); } catch (e) { /* private mode */ }
        }
      });
    });
  }

  function clearCaches() {
    if (!window.caches) return Promise.resolve();
    return caches.keys().then(function (keys) {
      return Promise.all(keys.map(function (k) { return caches.delete(k); }));
    }).catch(function () {});
  }

  function dbNames() {
    if (!window.indexedDB) return Promise.resolve([]);
    if (!indexedDB.databases) return Promise.resolve([FIELD_DB]);
    return indexedDB.databases().then(function (list) {
      return list.map(function (d) { return d.name; }).filter(function (n) { return n && n.indexOf(PREFIX) === 0; });
    }).catch(function () { return [FIELD_DB]; });
  }

  function deleteDb(name) {
    return new Promise(function (resolve) {
      var req = indexedDB.deleteDatabase(name);
      req.onsuccess = req.onerror = function () { resolve(); };
      // Another tab holding it open closes on versionchange (field.js); never wait forever.
      req.onblocked = function () { setTimeout(resolve, 3000); };
    });
  }

  function clearAll() {
    clearKeys();
    return Promise.all([
      clearCaches(),
      dbNames().then(function (names) { return Promise.all(names.map(deleteDb)); }),
    ]).then(function () {
      document.dispatchEvent(new CustomEvent("lx:offline-cleared"));
    });
  }

  // The unsent records (queued, sending, refused) of the field queue; opening never creates it.
  function unsent() {
    if (!window.indexedDB) return Promise.resolve(0);
    return dbNames().then(function (names) {
      if (names.indexOf(FIELD_DB) < 0) return 0;
      return new Promise(function (resolve) {
        var req;
        try { req = indexedDB.open(FIELD_DB); } catch (e) { resolve(0); return; }
        req.onupgradeneeded = function () { req.transaction.abort(); };  // did not exist
        req.onerror = function () { resolve(0); };
        req.onsuccess = function () {
          var d = req.result;
          if (!d.objectStoreNames.contains("queue")) { d.close(); resolve(0); return; }
          var get = d.transaction("queue", "readonly").objectStore("queue").getAll();
          get.onsuccess = function () {
            d.close();
            resolve((get.result || []).filter(function (i) { return i.state !== "sent"; }).length);
          };
          get.onerror = function () { d.close(); resolve(0); };
        };
      });
    });
  }

  var userCheck = null;
  function checkUser() {
    if (userCheck) return userCheck;
    var meta = document.querySelector('meta[name="lx-user"]');
    var user = meta ? meta.content : "";
    var seen = null;
    try { seen = window.localStorage.getItem(USER_KEY); } catch (e) { /* private mode */ }
    var start = (user && seen && seen !== user) ? clearAll() : Promise.resolve();
    userCheck = start.then(function () {
      if (!user) return;
      try { window.localStorage.setItem(USER_KEY, user); } catch (e) { /* private mode */ }
    });
    return userCheck;
  }

  // ------------------------------------------------------------------ the log-out button
  function boxFor(form) {
    return form.closest("[data-lx-logout-box]") || document.querySelector("#lx-logout-dialog [data-lx-logout-box]");
  }

  function say(box, text) {
    var p = box && box.querySelector("[data-lx-logout-text]");
    if (p) p.textContent = text;
  }

  function freshToken(form) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (meta && meta.content && input) input.value = meta.content;
  }

  function showDialog() {
    var dialog = document.getElementById("lx-logout-dialog");
    if (!dialog || typeof dialog.showModal !== "function") return false;
    if (!dialog.open) dialog.showModal();
    return true;
  }

  function post(form, box) {
    freshToken(form);
    if (navigator.onLine) { form.submit(); return; }
    // No signal: the copies are gone already; the session ends as soon as the signal is back.
    if (box) {
      say(box, box.getAttribute("data-text-offline"));
      if (box.closest("dialog")) showDialog();
    }
    window.addEventListener("online", function () { freshToken(form); form.submit(); }, { once: true });
  }

  var busy = false;
  function leave(form) {
    if (busy) return;
    busy = true;
    var box = boxFor(form);
    clearAll().then(function () { post(form, box); }, function () {
      busy = false;
      say(box, box && box.getAttribute("data-text-failed"));
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-lx-logout]")) return;
    event.preventDefault();
    if (form.getAttribute("data-lx-logout") === "confirmed") { leave(form); return; }
    unsent().then(function (n) {
      if (!n) { leave(form); return; }
      var box = boxFor(form);
      if (box) say(box, box.getAttribute("data-text-unsent").replace("{n}", String(n)));
      if (!showDialog()) window.location.assign(form.action);  // the confirm page (GET)
    });
  });

  // 上传后再退出: on the field page the dialog closes and the queue is sent; elsewhere the link
  // opens the field page, which sends on load.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-lx-logout-upload]");
    if (!link || !document.body.hasAttribute("data-visit-url")) return;
    event.preventDefault();
    var dialog = link.closest("dialog");
    if (dialog) dialog.close();
    document.dispatchEvent(new CustomEvent("lx:upload"));
  });

  // The confirm page (GET accounts:logout) says how many records would be lost.
  function countInline() {
    var boxes = document.querySelectorAll("[data-lx-logout-box]");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.closest("dialog")) return;
      unsent().then(function (n) {
        if (n) say(box, box.getAttribute("data-text-unsent").replace("{n}", String(n)));
      });
    });
  }

  window.lxOffline = { checkUser: checkUser, clearAll: clearAll, unsent: unsent };
  checkUser().then(countInline);
})();
