// The phone's outbox (docs/offline.md). A form marked data-outbox is never lost:
// - what is typed is kept on the phone (IndexedDB "drafts") until it is sent, so closing the
//   page or the browser loses nothing;
// - on submit the record (fields and photos) goes into the outbox (IndexedDB "items") with
//   an idempotency key, then is sent; without a connection it waits and is sent when the
//   connection returns or any page of genxi opens, in the order it was made, exactly once
//   (the server keeps the key: core/idempotency.py);
// - a record the server refuses (a conflict: the case was closed by someone else meanwhile,
//   or a field error) stays in the outbox marked, with the server's words, for the worker
//   to read and discard; nothing is overwritten silently.
// Records belong to the person who made them: they are sent only while that person is
// logged in. The bar at the bottom of the page shows what is waiting.
(function () {
  "use strict";
  const body = document.body;
  const user = body.dataset.user || "";
  const textEl = document.getElementById("outbox-text");
  const T = textEl ? JSON.parse(textEl.textContent) : {};
  const DB_NAME = "genxi-outbox";
  let flushing = false;
  let leaving = false; // the page is being left (pagehide): nothing more is sent from it

  function openDb() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains("items")) {
          db.createObjectStore("items", { keyPath: "key" });
        }
        if (!db.objectStoreNames.contains("drafts")) {
          db.createObjectStore("drafts", { keyPath: "id" });
        }
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  async function store(name, mode, fn) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(name, mode);
      const result = fn(tx.objectStore(name));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
    });
  }
  const put = (name, value) => store(name, "readwrite", (s) => s.put(value));
  const del = (name, key) => store(name, "readwrite", (s) => s.delete(key));
  const get = (name, key) => store(name, "readonly", (s) => s.get(key));
  const all = (name) => store(name, "readonly", (s) => s.getAll());

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const a = new Uint8Array(16);
    crypto.getRandomValues(a);
    return Array.from(a, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function csrfToken() {
    try {
      return JSON.parse(body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  // A form's fields as a list the outbox can keep: files as Blobs, everything else as text.
  function fieldsOf(form) {
    const out = [];
    new FormData(form).forEach((value, name) => {
      if (name === "csrfmiddlewaretoken") return;
      if (value instanceof File) {
        if (value.size) out.push([name, { blob: value, name: value.name, type: value.type }]);
      } else {
        out.push([name, value]);
      }
    });
    return out;
  }

  function draftId(form) {
    return location.pathname + "#" + (form.id || form.getAttribute("action") || "form");
  }

  async function saveDraft(form) {
    const values = fieldsOf(form).filter(([name, v]) => typeof v === "string" && name !== "idempotency_key");
    await put("drafts", { id: draftId(form), user: user, values: values, at: Date.now() });
  }

  async function restoreDraft(form) {
    const draft = await get("drafts", draftId(form));
    if (!draft || draft.user !== user) return;
    let restored = false;
    const byName = new Map();
    draft.values.forEach(([name, value]) => byName.set(name, (byName.get(name) || []).concat([value])));
    byName.forEach((values, name) => {
      const el = form.elements.namedItem(name);
      if (!el) return;
      // Radio buttons and groups of boxes (a list of nodes): tick what was ticked.
      const nodes = el instanceof RadioNodeList ? Array.from(el) : [el];
      nodes.forEach((node) => {
        if (node.type === "file" || node.type === "hidden") return;
        if (node.type === "checkbox" || node.type === "radio") {
          const ticked = values.includes(node.value);
          if (ticked && !node.checked) restored = true;
          node.checked = ticked;
        } else if (node.value !== values[0] && values[0] !== "") {
          node.value = values[0];
          restored = true;
        }
      });
    });
    if (restored) note(form, T.restored, "info");
  }

  function note(form, message, kind) {
    let el = form.querySelector(".outbox-note");
    if (!el) {
      el = document.createElement("div");
      form.prepend(el);
    }
    el.className = "outbox-note alert alert-" + kind + " py-1 small";
    el.textContent = message;
  }

  function keyInput(form) {
    let input = form.querySelector("input[name=idempotency_key]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "idempotency_key";
      form.append(input);
    }
    if (!input.value) input.value = newKey();
    return input;
  }

  // The words a refused page says beside its fields (decision 0016).
  function refusalOf(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const found = Array.from(doc.querySelectorAll("[data-error-for], .invalid-feedback, main .alert-danger"))
      .map((el) => el.textContent.trim())
      .filter(Boolean);
    return Array.from(new Set(found)).join(" ") || T.refused;
  }

  // Send one record. Answers "sent", "wait" (no connection, or not logged in) or "refused".
  async function send(item) {
    // Not tried when the phone says there is no connection (it fires "online" when there is
    // one again), nor from a page that is going away: it could not hear the answer, and a
    // record whose answer is lost is sent again by the next page (the server keeps it once).
    if (!navigator.onLine || leaving) return { outcome: "wait" };
    const data = new FormData();
    item.fields.forEach(([name, value]) => {
      if (value && value.blob) data.append(name, value.blob, value.name);
      else data.append(name, value);
    });
    data.set("idempotency_key", item.key);
    let response;
    try {
      response = await fetch(item.url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Idempotency-Key": item.key, "X-Genxi-Outbox": "1", "X-CSRFToken": csrfToken() },
      });
    } catch (e) {
      return { outcome: "wait" };
    }
    if (response.redirected && new URL(response.url).pathname.startsWith("/accounts/login")) {
      return { outcome: "wait", reason: T.login };
    }
    const type = response.headers.get("Content-Type") || "";
    if (response.ok && type.includes("application/json")) {
      const answer = await response.json();
      return { outcome: "sent", location: answer.location || "" };
    }
    if (response.ok) return { outcome: "sent", location: response.url };
    if (response.status === 403 && !type.includes("json")) {
      // A step this person may not take is the page again with its words beside the form
      // (decision 0016); a 403 without them is the CSRF check of an expired login.
      const html = await response.text();
      if (!html.includes("data-error-for")) return { outcome: "wait", reason: T.login };
      return { outcome: "refused", message: refusalOf(html), status: 403 };
    }
    if (response.status >= 500) return { outcome: "wait" };
    const message = type.includes("json") ? (await response.json()).error : refusalOf(await response.text());
    return { outcome: "refused", message: message || T.refused, status: response.status };
  }

  async function mine() {
    const items = await all("items");
    return items.filter((i) => i.user === user).sort((a, b) => a.at - b.at);
  }

  async function flush() {
    if (flushing || !user) return;
    flushing = true;
    try {
      for (const item of await mine()) {
        if (item.state !== "waiting") continue;
        const result = await send(item);
        if (result.outcome === "wait") {
          if (result.reason) showBar(result.reason);
          break;
        }
        if (result.outcome === "sent") await del("items", item.key);
        else await put("items", Object.assign(item, { state: "refused", message: result.message }));
      }
    } finally {
      flushing = false;
      await render();
      // A sign for whoever waits on the outbox (a person's tests): this round of sending is over.
      if (bar) bar.dataset.flushed = String(Number(bar.dataset.flushed || 0) + 1);
    }
  }

  // The bar: how many records wait, and the refused ones with the server's words.
  const bar = document.getElementById("outbox-bar");
  function showBar(extra) {
    if (bar && extra) {
      bar.querySelector("[data-outbox-reason]").textContent = extra;
    }
  }

  async function render() {
    if (!bar) return;
    const items = await mine();
    const waiting = items.filter((i) => i.state === "waiting").length;
    const refused = items.filter((i) => i.state === "refused");
    bar.hidden = items.length === 0;
    const counts = [];
    if (waiting) counts.push(T.waiting.replace("%(n)s", waiting));
    if (refused.length) counts.push(T.refusedCount.replace("%(n)s", refused.length));
    bar.querySelector("[data-outbox-count]").textContent = counts.join(" · ");
    if (!waiting) bar.querySelector("[data-outbox-reason]").textContent = refused.length ? T.refusedHint : "";
    const list = bar.querySelector("[data-outbox-list]");
    list.replaceChildren();
    items.forEach((item) => {
      const li = document.createElement("li");
      li.className = "outbox-item small" + (item.state === "refused" ? " text-danger" : "");
      li.dataset.state = item.state;
      const when = new Date(item.at).toLocaleString();
      const label = document.createElement("span");
      label.textContent = item.label + " · " + when + (item.state === "refused" ? " · " + T.refusedLabel + ": " + item.message : " · " + T.waitingLabel);
      li.append(label);
      if (item.state === "refused") {
        const drop = document.createElement("button");
        drop.type = "button";
        drop.className = "btn btn-sm btn-link p-0 ms-2";
        drop.textContent = T.discard;
        drop.addEventListener("click", async () => {
          await del("items", item.key);
          render();
        });
        li.append(drop);
      }
      list.append(li);
    });
    bar.classList.toggle("outbox-refused", refused.length > 0);
  }

  // Open the page a sent record led to; the same page (an inspection's next item, #item-3)
  // is loaded again, since a change of hash alone would not show the saved answer.
  function goTo(url) {
    const target = new URL(url, window.location.href);
    if (target.pathname === window.location.pathname && target.search === window.location.search) {
      window.history.replaceState(null, "", target.href);
      window.location.reload();
    } else {
      window.location.assign(target.href);
    }
  }

  async function onSubmit(event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-outbox")) return;
    if (form.dataset.outboxNative === "1") return; // the second, native send of a refusal
    event.preventDefault();
    const key = keyInput(form).value;
    const item = {
      key: key,
      user: user,
      url: form.action,
      label: form.dataset.outbox || document.title,
      fields: fieldsOf(form),
      at: Date.now(),
      state: "waiting",
    };
    await put("items", item); // kept first: whatever happens next, nothing is lost
    await del("drafts", draftId(form));
    const result = await send(item);
    if (result.outcome === "sent") {
      await del("items", key);
      goTo(result.location || window.location.href);
      return;
    }
    if (result.outcome === "refused") {
      // Online and refused: the page shows the errors beside the fields, as without the
      // outbox (the key was not kept by the server, so this writes nothing twice).
      await del("items", key);
      form.dataset.outboxNative = "1";
      form.submit();
      return;
    }
    form.reset();
    keyInput(form).value = newKey();
    // An app's own key for the record (e.g. field work's `key`): a new one for the next.
    form.querySelectorAll("[data-idempotency-key]").forEach((input) => { input.value = newKey(); });
    note(form, result.reason || T.queued, "warning");
    render();
  }

  function watch(form) {
    keyInput(form);
    restoreDraft(form);
    let timer = null;
    form.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => saveDraft(form), 300);
    });
  }

  if (!("indexedDB" in window) || !user) return;
  document.querySelectorAll("form[data-outbox]").forEach(watch);
  document.addEventListener("submit", onSubmit);
  // An "online" event is not the connection back by itself: Chromium fires one in a page
  // being left while navigator.onLine still says false; only a real return sends.
  window.addEventListener("online", () => {
    if (navigator.onLine) flush();
  });
  window.addEventListener("pagehide", () => {
    leaving = true;
  });
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    leaving = false; // back from the back/forward cache: this page sends again
    render().then(flush);
  });
  if (bar) {
    bar.querySelector("[data-outbox-toggle]").addEventListener("click", () => {
      bar.querySelector("[data-outbox-list]").hidden = !bar.querySelector("[data-outbox-list]").hidden;
    });
  }

  // The service worker keeps the pages (and the day's list marked data-offline-precache)
  // for when there is no connection; logging out forgets them.
  if ("serviceWorker" in navigator && body.dataset.sw) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: "/" }).then(() => navigator.serviceWorker.ready).then((reg) => {
      const urls = Array.from(document.querySelectorAll("[data-offline-precache]"), (a) => a.href);
      if (urls.length && reg.active) reg.active.postMessage({ type: "precache", urls: urls });
    }).catch(() => {});
  }
  document.querySelectorAll("form[data-logout]").forEach((form) => {
    form.addEventListener("submit", () => {
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "forget" });
      }
    });
  });
  render().then(flush);
})();
