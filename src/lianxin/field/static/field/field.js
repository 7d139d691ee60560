/* 连心桥·走访 offline page: the grid's data and a queue of visits and requests in IndexedDB.
   Every item gets a UUID when it is recorded; the server keeps one row per key, so sending an
   item again (a lost answer, a reload mid-send, two tabs) never makes a second row.
   States: queued -> sending -> sent | refused (with the server's reason; edit and resend).
   No user-facing text lives here: the labels come from the page (#field-labels, gettext).
   A shared phone: the database is opened only once accounts/logout.js has dropped another
   user's copies (lxOffline.checkUser), and closed at once when a log-out deletes it. */
(function () {
  "use strict";
  var body = document.body;
  var L = JSON.parse(document.getElementById("field-labels").textContent);
  var DB_NAME = "lianxin-field";
  var RETRY_MS = 15000;
  var KEEP_SENT_MS = 3 * 24 * 3600 * 1000;
  var db = null;
  var data = null;
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var syncing = false;
  var editing = { visit: null, case: null };

  // ------------------------------------------------------------------ IndexedDB
  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        var d = req.result;
        if (!d.objectStoreNames.contains("queue")) d.createObjectStore("queue", { keyPath: "key" });
        if (!d.objectStoreNames.contains("data")) d.createObjectStore("data", { keyPath: "name" });
      };
      req.onsuccess = function () {
        var d = req.result;
        // A log-out (accounts/logout.js) deletes the database: let it, and stop using it.
        d.onversionchange = function () { d.close(); if (db === d) db = null; };
        resolve(d);
      };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(store, mode, fn) {
    return new Promise(function (resolve, reject) {
      if (!db) { reject(new Error("database closed")); return; }
      var t = db.transaction(store, mode);
      var result;
      t.oncomplete = function () { resolve(result); };
      t.onerror = function () { reject(t.error); };
      t.onabort = function () { reject(t.error); };
      var req = fn(t.objectStore(store));
      if (req) req.onsuccess = function () { result = req.result; };
    });
  }

  function putItem(item) { return tx("queue", "readwrite", function (s) { return s.put(item); }); }
  function getItem(key) { return tx("queue", "readonly", function (s) { return s.get(key); }); }
  function deleteItem(key) { return tx("queue", "readwrite", function (s) { return s.delete(key); }); }
  function allItems() {
    return tx("queue", "readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.created - b.created; });
    });
  }

  function uuid() {
    if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // ------------------------------------------------------------------ rendering helpers
  function el(tag, attrs, text) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) n.textContent = text;
    return n;
  }

  function message(text) { document.getElementById("field-message").textContent = text || ""; }

  function showNet() {
    var net = document.getElementById("field-net");
    net.textContent = navigator.onLine ? L.online : L.offline;
    net.className = "badge " + (navigator.onLine ? "text-bg-success" : "text-bg-warning");
    net.dataset.online = navigator.onLine ? "1" : "0";
  }

  function fillSelect(select, rows, placeholder) {
    var current = select.value;
    select.textContent = "";
    select.appendChild(el("option", { value: "" }, placeholder));
    rows.forEach(function (r) { select.appendChild(el("option", { value: String(r[0]) }, r[1])); });
    select.value = current;
  }

  function householdLabel(id) {
    var h = (data && data.households || []).filter(function (x) { return String(x.id) === String(id); })[0];
    return h ? h.number + " " + h.address : "#" + id;
  }

  function renderData() {
    var list = document.getElementById("field-households");
    var cases = document.getElementById("field-cases");
    list.textContent = "";
    cases.textContent = "";
    if (!data) {
      document.getElementById("field-synced").textContent = L.no_data;
      return;
    }
    document.getElementById("field-synced").textContent = L.synced_at + " " + new Date(data.fetched).toLocaleString();
    var households = data.households.map(function (h) { return [h.id, h.number + " " + h.address]; });
    fillSelect(document.getElementById("visit-household"), households, L.choose);
    fillSelect(document.getElementById("case-household"), households, L.choose);
    fillSelect(document.getElementById("visit-kind"), data.kinds, L.choose);
    var kind = document.getElementById("visit-kind");
    if (!kind.value && data.kinds.length) kind.value = data.kinds[0][0];
    fillSelect(document.getElementById("case-category"), data.categories, L.choose);
    var needs = document.getElementById("visit-needs");
    if (!needs.childElementCount) {
      data.needs.forEach(function (tag, i) {
        var id = "need-" + i;
        needs.appendChild(el("input", { type: "checkbox", class: "btn-check", name: "needs", id: id, value: tag, autocomplete: "off" }));
        needs.appendChild(el("label", { class: "btn btn-outline-secondary btn-sm", for: id }, tag));
      });
    }
    data.households.forEach(function (h) {
      var li = el("li", { class: "list-group-item", "data-testid": "field-household" });
      li.appendChild(el("div", { class: "fw-semibold" }, h.number + (h.tags.length ? " · " + h.tags.join("、") : "")));
      li.appendChild(el("div", { class: "small text-break" }, h.address + " · " + h.grid));
      if (h.head || h.phone) li.appendChild(el("div", { class: "small text-muted" }, [h.head, h.phone].filter(Boolean).join(" ")));
      list.appendChild(li);
    });
    data.cases.forEach(function (c) {
      var li = el("li", { class: "list-group-item", "data-testid": "field-case" });
      li.appendChild(el("div", { class: "fw-semibold text-break" }, c.title));
      li.appendChild(el("div", { class: "small text-muted" }, [c.code, c.state, c.grid, c.created].join(" · ")));
      cases.appendChild(li);
    });
  }

  function stateText(item) {
    if (item.state === "refused") return L.refused + "（" + (item.reason || L.unknown_error) + "）";
    return L[item.state] || item.state;
  }

  function renderQueue() {
    if (!db) return Promise.resolve();
    return allItems().then(function (items) {
      var ul = document.getElementById("field-queue");
      ul.textContent = "";
      document.getElementById("field-queue-empty").hidden = items.length > 0;
      items.forEach(function (item) {
        var li = el("li", { class: "lx-field-item lx-field-" + item.state, "data-testid": "field-item", "data-state": item.state, "data-kind": item.kind, "data-key": item.key });
        var head = el("div", { class: "d-flex justify-content-between gap-2" });
        var title = L[item.kind] + " · " + householdLabel(item.fields.household) + (item.kind === "case" ? " · " + item.fields.title : "");
        head.appendChild(el("span", { class: "fw-semibold text-break" }, title));
        head.appendChild(el("span", { class: "lx-field-state", "data-testid": "field-item-state" }, stateText(item)));
        li.appendChild(head);
        var meta = new Date(item.created).toLocaleString() + (item.photo ? " · " + L.photo : "");
        li.appendChild(el("div", { class: "small text-muted" }, meta));
        if (item.state === "refused") {
          var bar = el("div", { class: "d-flex gap-2 mt-1" });
          var edit = el("button", { type: "button", class: "btn btn-sm btn-outline-primary", "data-testid": "field-item-edit" }, L.edit);
          edit.addEventListener("click", function () { startEdit(item.key); });
          var remove = el("button", { type: "button", class: "btn btn-sm btn-outline-secondary", "data-testid": "field-item-remove" }, L.remove);
          remove.addEventListener("click", function () { deleteItem(item.key).then(renderQueue); });
          bar.appendChild(edit);
          bar.appendChild(remove);
          li.appendChild(bar);
        }
        ul.appendChild(li);
      });
    });
  }

  // ------------------------------------------------------------------ forms
  function formFor(kind) { return document.getElementById(kind + "-form"); }

  function clearErrors(form) {
    form.querySelectorAll(".is-invalid").forEach(function (n) { n.classList.remove("is-invalid"); });
    form.querySelectorAll("[data-error]").forEach(function (n) { n.textContent = ""; n.style.display = ""; });
  }

  function showErrors(form, errors) {
    Object.keys(errors || {}).forEach(function (field) {
      var box = form.querySelector('[data-error="' + field + '"]');
      var input = form.querySelector('[name="' + field + '"]');
      if (input) input.classList.add("is-invalid");
      if (box) { box.textContent = errors[field]; box.style.display = "block"; }
    });
  }

  function readForm(kind) {
    var form = formFor(kind);
    var fields = {};
    ["household", "kind", "met", "notes", "lat", "lng", "category", "title", "description", "contact_phone"].forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (input) fields[name] = input.value.trim();
    });
    if (kind === "visit") {
      fields.needs = Array.prototype.map.call(form.querySelectorAll('input[name="needs"]:checked'), function (n) { return n.value; });
    }
    var file = form.elements.namedItem("photo").files[0] || null;
    return { fields: fields, photo: file };
  }

  function localErrors(kind, fields) {
    var errors = {};
    if (!fields.household) errors.household = L.required_household;
    if (kind === "case") {
      if (!fields.category) errors.category = L.required_category;
      if (!fields.title) errors.title = L.required_title;
    }
    return errors;
  }

  function onSubmit(kind, event) {
    event.preventDefault();
    var form = formFor(kind);
    clearErrors(form);
    var read = readForm(kind);
    var errors = localErrors(kind, read.fields);
    if (Object.keys(errors).length) { showErrors(form, errors); return; }
    var key = editing[kind];
    var start = key ? getItem(key) : Promise.resolve(null);
    start.then(function (old) {
      // The owner: a phone passed to another worker never sends the first one's records as theirs.
      var item = old || { key: uuid(), kind: kind, created: Date.now(), owner: data ? data.user : null };
      item.fields = read.fields;
      if (read.photo) {
        item.photo = read.photo;  // a File is a Blob: IndexedDB stores it as it is
        item.photoName = read.photo.name || "photo.jpg";
      }
      item.state = "queued";
      item.reason = "";
      item.errors = {};
      return putItem(item);
    }).then(function () {
      editing[kind] = null;
      form.reset();
      renderData();
      message(L.saved);
      return renderQueue();
    }).then(sync);
  }

  function startEdit(key) {
    getItem(key).then(function (item) {
      if (!item) return;
      var form = formFor(item.kind);
      form.reset();
      clearErrors(form);
      editing[item.kind] = item.key;
      Object.keys(item.fields).forEach(function (name) {
        if (name === "needs") return;
        var input = form.elements.namedItem(name);
        if (input && input.type !== "file") input.value = item.fields[name];
      });
      (item.fields.needs || []).forEach(function (tag) {
        form.querySelectorAll('input[name="needs"]').forEach(function (n) { if (n.value === tag) n.checked = true; });
      });
      showErrors(form, item.errors);
      form.scrollIntoView({ block: "start" });
    });
  }

  // ------------------------------------------------------------------ network
  function loadData() {
    return tx("data", "readonly", function (s) { return s.get("grid"); }).then(function (row) {
      if (row) data = row.value;
      renderData();
    });
  }

  function refreshData() {
    return fetch(body.dataset.dataUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (resp) {
        if (resp.redirected || !resp.ok || (resp.headers.get("Content-Type") || "").indexOf("json") < 0) {
          if (resp.redirected || resp.status === 401 || resp.status === 403) message(L.login);
          return false;
        }
        return resp.json().then(function (payload) {
          csrf = payload.csrf || csrf;
          var meta = document.querySelector('meta[name="csrf-token"]');
          if (meta) meta.content = csrf;  // the log-out form posts with it (accounts/logout.js)
          delete payload.csrf;
          payload.fetched = Date.now();
          data = payload;
          return tx("data", "readwrite", function (s) { return s.put({ name: "grid", value: payload }); })
            .then(function () { renderData(); return true; });
        });
      })
      .catch(function () { return false; });
  }

  function sendOne(item) {
    var form = new FormData();
    form.append("key", item.key);
    Object.keys(item.fields).forEach(function (name) {
      var value = item.fields[name];
      if (Array.isArray(value)) value.forEach(function (v) { form.append(name, v); });
      else form.append(name, value);
    });
    if (item.photo) form.append("photo", item.photo, item.photoName || "photo.jpg");
    var url = item.kind === "visit" ? body.dataset.visitUrl : body.dataset.caseUrl;
    return fetch(url, {
      method: "POST",
      body: form,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
    }).then(function (resp) {
      var json = (resp.headers.get("Content-Type") || "").indexOf("json") >= 0;
      if (resp.ok && json && !resp.redirected) {
        return resp.json().then(function (answer) {
          item.state = "sent";
          item.serverId = answer.id;
          item.code = answer.code || "";
          item.photo = null;  // arrived: the phone need not keep the picture
          return "sent";
        });
      }
      if (resp.status === 400 && json) {
        return resp.json().then(function (answer) {
          item.state = "refused";
          item.errors = answer.errors || {};
          item.reason = answer.reason || L.unknown_error;
          return "refused";
        });
      }
      // Logged out, a stale CSRF token, a server hiccup: keep it queued and try again later.
      item.state = "queued";
      if (resp.redirected || resp.status === 401 || resp.status === 403) message(L.login);
      return "retry";
    }).catch(function () {
      item.state = "queued";  // no signal after all
      return "retry";
    }).then(function (outcome) {
      return putItem(item).then(function () { return outcome; });
    });
  }

  function sync() {
    showNet();
    if (syncing || !navigator.onLine || !db) return Promise.resolve();
    syncing = true;
    return refreshData().then(function () {
      return allItems();
    }).then(function (items) {
      var pending = items.filter(function (i) {
        var mine = !i.owner || !data || i.owner === data.user;
        return mine && (i.state === "queued" || i.state === "sending");
      });
      return pending.reduce(function (chain, item) {
        return chain.then(function (stop) {
          if (stop) return true;
          item.state = "sending";
          return putItem(item).then(renderQueue).then(function () { return sendOne(item); })
            .then(function (outcome) { return renderQueue().then(function () { return outcome === "retry"; }); });
        });
      }, Promise.resolve(false));
    }).catch(function () {}).then(function () {
      syncing = false;
      return renderQueue();
    });
  }

  // ------------------------------------------------------------------ start
  function start() {
    showNet();
    formFor("visit").addEventListener("submit", function (e) { onSubmit("visit", e); });
    formFor("case").addEventListener("submit", function (e) { onSubmit("case", e); });
    window.addEventListener("online", sync);
    window.addEventListener("offline", showNet);
    document.addEventListener("lx:upload", function () { message(navigator.onLine ? "" : L.offline); sync(); });
    document.addEventListener("lx:offline-cleared", function () {
      // The phone's copies are gone (log-out): nothing of them stays on the screen either.
      db = null;
      data = null;
      renderData();
      ["field-queue", "visit-household", "case-household"].forEach(function (id) { document.getElementById(id).textContent = ""; });
    });
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(body.dataset.sw, { scope: body.dataset.scope }).catch(function () {});
    }
    var ready = window.lxOffline ? window.lxOffline.checkUser() : Promise.resolve();
    ready.then(openDb).then(function (d) {
      db = d;
      // An item left "sending" by a reload or a closed tab goes again: its key keeps it single.
      // A sent item is shown for KEEP_SENT_MS, then forgotten (the server has it).
      return allItems().then(function (items) {
        var now = Date.now();
        return Promise.all(items.map(function (i) {
          if (i.state === "sent" && now - i.created > KEEP_SENT_MS) return deleteItem(i.key);
          if (i.state !== "sending") return null;
          i.state = "queued";
          return putItem(i);
        }));
      });
    }).then(loadData).then(renderQueue).then(function () {
      body.dataset.ready = "1";
      return sync();
    }).then(function () {
      body.dataset.synced = "1";
    });
    setInterval(sync, RETRY_MS);
  }

  start();
})();
