// The offline capture page. Records wait in IndexedDB (through the vendored idb wrapper) until
// the server has answered 201 or 200; only then do they leave the phone. Each operator's records
// are kept under their username, so a phone shared by two operators keeps them apart.
//
// Footage (摄录的实况) of a session uploads with tus-js-client (vendored, loaded before this
// module as window.tus) once the session is on the server: the file waits in IndexedDB with the
// upload's URL, so an upload cut off (network gone, page reloaded) resumes from the server's
// offset; the server checks the whole file against the SHA-256 computed here.
import { openDB } from "./idb-8.0.4.js";
import { sha256OfBlob } from "./sha256.js";

const body = document.body;
const API = body.dataset.api;
const T = JSON.parse(document.getElementById("capture-strings").textContent);
const $ = (id) => document.getElementById(id);
const fmt = (s, values) => s.replace(/%\((\w+)\)s|%%/g, (m, k) => (k ? values[k] : "%"));

const dbReady = openDB("dianjiao-capture", 2, {
  upgrade(db, oldVersion) {
    if (oldVersion < 1) {
      const outbox = db.createObjectStore("outbox", { keyPath: "id" });
      outbox.createIndex("owner", "owner");
      db.createObjectStore("kv");
    }
    if (oldVersion < 2) {
      // Sessions the server has stored (footage may be attached to them), and the footage.
      db.createObjectStore("synced", { keyPath: "id" }).createIndex("owner", "owner");
      db.createObjectStore("footage", { keyPath: "id" }).createIndex("owner", "owner");
    }
  },
});
const kv = {
  get: async (key) => (await dbReady).get("kv", key),
  set: async (key, value) => (await dbReady).put("kv", value, key),
  del: async (key) => (await dbReady).delete("kv", key),
};

let operator = null; // the username whose records and data the page shows
let boot = null; // that operator's bootstrap data
const attendance = new Map(); // member id -> {status, reason}

// -- times --------------------------------------------------------------------------------------

function pad(n) {
  return String(n).padStart(2, "0");
}
function localInput(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
function isoWithOffset(date) {
  const off = -date.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  const abs = Math.abs(off);
  return `${localInput(date)}:${pad(date.getSeconds())}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

// -- the outbox ---------------------------------------------------------------------------------

async function pendingOf(owner) {
  return (await dbReady).getAllFromIndex("outbox", "owner", owner);
}

async function refreshOutbox() {
  const records = operator ? await pendingOf(operator) : [];
  records.sort((a, b) => a.created.localeCompare(b.created));
  $("pending-count").textContent = String(records.length);
  const list = $("outbox");
  list.replaceChildren(...records.map(renderRecord));
}

function summary(kind, data) {
  if (!data) return "";
  if (kind === "info") return `${data.title || ""}`;
  const present = (data.attendance || []).filter((a) => a.status === "present").length;
  const when = (data.held_at || "").replace("T", " ").slice(0, 16);
  return `${when} · ${data.duration_minutes} ${T.minutes} · ${fmt(T.present_of, { p: present, n: (data.attendance || []).length })}`;
}

function renderRecord(record) {
  const li = document.createElement("li");
  li.dataset.id = record.id;
  li.dataset.state = record.state;
  const head = document.createElement("div");
  const state = document.createElement("span");
  state.className = "state";
  state.textContent = { pending: T.pending, conflict: T.conflict, invalid: T.invalid, refused: T.refused }[record.state] || record.state;
  head.append(state, " ", `${record.kind === "info" ? T.info : T.session}${T.colon}${summary(record.kind, record.payload)}`);
  li.append(head);
  if (record.state === "conflict") {
    // Both versions, side by side: the operator decides, nothing is dropped silently.
    const versions = document.createElement("div");
    versions.className = "versions";
    for (const [label, data] of [[T.on_phone, record.payload], [T.on_server, record.server && record.server.stored]]) {
      const box = document.createElement("div");
      const title = document.createElement("b");
      title.textContent = label;
      const line = document.createElement("div");
      line.textContent = summary(record.kind, data);
      const pre = document.createElement("pre");
      pre.textContent = JSON.stringify(data, null, 1);
      box.append(title, line, pre);
      versions.append(box);
    }
    li.append(versions);
  }
  if (record.state === "invalid" || record.state === "refused") {
    const errors = document.createElement("div");
    errors.className = "errors";
    const server = record.server || {};
    const lines = Object.entries(server.errors || {}).map(([field, messages]) => `${field}: ${messages.join("；")}`);
    errors.textContent = lines.length ? lines.join("\n") : server.detail || "";
    li.append(errors);
  }
  if (record.state !== "pending") {
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "linkbtn";
    discard.textContent = T.discard;
    discard.addEventListener("click", async () => {
      if (!confirm(T.discard_confirm)) return;
      await (await dbReady).delete("outbox", record.id);
      refreshOutbox();
    });
    li.append(discard);
  }
  return li;
}

async function keep(kind, payload) {
  await (await dbReady).put("outbox", {
    id: payload.id,
    owner: operator,
    kind,
    payload,
    created: new Date().toISOString(),
    state: "pending",
  });
  await refreshOutbox();
  $("sync-msg").textContent = T.saved;
  if (navigator.onLine) sync();
}

// -- sync ---------------------------------------------------------------------------------------

let syncing = false;

async function ensureToken(owner) {
  const token = await kv.get(`token:${owner}`);
  if (token) return token;
  if (owner !== body.dataset.user) return null; // only the signed-in operator can take one
  const response = await fetch(`${API}/auth/session-token`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": body.dataset.csrf },
    body: JSON.stringify({ device_name: `${navigator.platform || "phone"} · capture` }),
  });
  if (response.status !== 201) return null;
  const data = await response.json();
  await kv.set(`token:${owner}`, data.token);
  return data.token;
}

async function sync() {
  if (syncing || !operator) return;
  syncing = true;
  const owner = operator;
  let sent = 0;
  try {
    const token = await ensureToken(owner);
    if (!token) {
      $("sync-msg").textContent = T.token_expired;
      return;
    }
    const records = (await pendingOf(owner)).filter((r) => r.state === "pending");
    for (const record of records) {
      const path = record.kind === "info" ? "/info-items" : "/sessions";
      let response;
      try {
        response = await fetch(API + path, {
          method: "POST",
          credentials: "omit",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
          body: JSON.stringify(record.payload),
        });
      } catch (err) {
        $("sync-msg").textContent = T.sync_failed;
        return; // no network: everything stays on the phone
      }
      if (response.status === 201 || response.status === 200) {
        // Stored on the server (a 200 is a replay of what it already holds): now it may go.
        // A session is remembered as synced, so its footage can be uploaded.
        const db = await dbReady;
        const tx = db.transaction(["outbox", "synced"], "readwrite");
        tx.objectStore("outbox").delete(record.id);
        if (record.kind === "session") {
          tx.objectStore("synced").put({ id: record.id, owner, payload: record.payload, synced: new Date().toISOString() });
        }
        await tx.done;
        sent += 1;
      } else if (response.status === 401) {
        await kv.del(`token:${owner}`);
        $("sync-msg").textContent = T.token_expired;
        return;
      } else if ([409, 422, 403, 404].includes(response.status)) {
        const server = await response.json().catch(() => ({}));
        const state = { 409: "conflict", 422: "invalid", 403: "refused", 404: "refused" }[response.status];
        await (await dbReady).put("outbox", { ...record, state, server });
      } else {
        $("sync-msg").textContent = T.sync_failed;
        return;
      }
    }
    $("sync-msg").textContent = fmt(T.synced, { n: sent });
  } finally {
    syncing = false;
    await refreshOutbox();
    await refreshFootage();
  }
  uploadFootage();
}

// -- footage ------------------------------------------------------------------------------------

const CHUNK = Number(body.dataset.uploadChunk) || 2 * 1024 * 1024;
const SYNCED_SHOWN = 10; // the latest sessions offered for footage
let uploading = null; // the footage id being hashed or uploaded now (one at a time)
const progress = new Map(); // footage id -> bytes sent, for the bar between saves

async function footageOf(owner) {
  return (await dbReady).getAllFromIndex("footage", "owner", owner);
}

async function refreshFootage() {
  const db = await dbReady;
  const sessions = operator ? await db.getAllFromIndex("synced", "owner", operator) : [];
  sessions.sort((a, b) => (b.payload.held_at || "").localeCompare(a.payload.held_at || ""));
  const footage = operator ? await footageOf(operator) : [];
  const list = $("footage");
  list.replaceChildren(
    ...sessions.slice(0, SYNCED_SHOWN).map((s) => renderSynced(s, footage.filter((f) => f.session === s.id)))
  );
  $("footage-none").hidden = sessions.length > 0;
}

function renderSynced(session, files) {
  const li = document.createElement("li");
  li.dataset.session = session.id;
  const head = document.createElement("div");
  head.textContent = summary("session", session.payload);
  li.append(head);
  for (const f of files.sort((a, b) => a.created.localeCompare(b.created))) li.append(renderFootage(f));
  const label = document.createElement("label");
  label.className = "btn attach";
  const input = document.createElement("input");
  input.type = "file";
  input.accept = "video/*";
  input.className = "visually-hidden";
  input.setAttribute("aria-label", `${T.attach} ${head.textContent}`);
  input.addEventListener("change", () => {
    if (input.files[0]) attachFootage(session.id, input.files[0]);
  });
  label.append(T.attach, input);
  li.append(label);
  return li;
}

function renderFootage(f) {
  const div = document.createElement("div");
  div.className = "footage-item";
  div.dataset.id = f.id;
  div.dataset.state = f.state;
  const sent = f.state === "complete" ? f.size : progress.get(f.id) ?? f.offset ?? 0;
  const name = document.createElement("span");
  name.className = "name";
  name.textContent = `${f.name} · ${(f.size / 1048576).toFixed(1)} MB`;
  const bar = document.createElement("progress");
  bar.max = f.size || 1;
  bar.value = f.state === "hashing" ? 0 : sent;
  const state = document.createElement("span");
  state.className = "state";
  const pct = f.size ? Math.floor((100 * sent) / f.size) : 100;
  state.textContent = fmt(T.footage_states[f.state] || f.state, { pct });
  div.append(name, bar, state);
  if (f.error) {
    const error = document.createElement("div");
    error.className = "errors";
    error.textContent = f.error;
    div.append(error);
  }
  if (f.state === "paused") {
    const resume = document.createElement("button");
    resume.type = "button";
    resume.className = "linkbtn";
    resume.textContent = T.upload_resume;
    resume.addEventListener("click", () => uploadFootage());
    div.append(resume);
  }
  if (f.state === "failed") {
    const again = document.createElement("button");
    again.type = "button";
    again.className = "linkbtn";
    again.textContent = T.upload_again;
    again.addEventListener("click", async () => {
      await putFootage({ ...f, state: "waiting", url: null, offset: 0, error: "" });
      uploadFootage();
    });
    div.append(again);
  }
  return div;
}

async function putFootage(f) {
  await (await dbReady).put("footage", f);
  await refreshFootage();
}

async function attachFootage(sessionId, file) {
  // The file itself waits on the phone (IndexedDB keeps a copy), so a reload does not lose it.
  const f = {
    id: crypto.randomUUID(),
    owner: operator,
    session: sessionId,
    name: file.name,
    type: file.type,
    size: file.size,
    blob: file,
    sha256: "",
    url: null,
    offset: 0,
    state: "waiting",
    error: "",
    created: new Date().toISOString(),
  };
  try {
    await putFootage(f);
  } catch (err) {
    $("footage-msg").textContent = T.footage_no_room;
    return;
  }
  uploadFootage();
}

async function uploadFootage() {
  if (uploading || !operator || !navigator.onLine || !window.tus) return;
  const owner = operator;
  const next = (await footageOf(owner))
    .filter((f) => ["waiting", "hashing", "uploading", "paused"].includes(f.state))
    .sort((a, b) => a.created.localeCompare(b.created))[0];
  if (!next) return;
  const token = await ensureToken(owner);
  if (!token) {
    $("footage-msg").textContent = T.token_expired;
    return;
  }
  uploading = next.id;
  let f = next;
  try {
    if (!f.sha256) {
      f = { ...f, state: "hashing" };
      await putFootage(f);
      f = { ...f, sha256: await sha256OfBlob(f.blob) };
    }
    f = { ...f, state: "uploading", error: "" };
    await putFootage(f);
    f = await sendFootage(f, token);
  } catch (err) {
    f = { ...f, state: "paused", error: String(err && err.message ? err.message : err) };
  } finally {
    uploading = null;
    progress.delete(f.id);
    await putFootage(f);
  }
  if (f.state === "complete") uploadFootage();
}

function sendFootage(f, token) {
  // Resolves with the record as it ends: complete, failed (the server refused it) or paused
  // (the network went: it resumes from the server's offset when the phone is online again).
  return new Promise((resolve) => {
    let record = f;
    const upload = new window.tus.Upload(f.blob, {
      endpoint: `${API}/uploads/`,
      uploadUrl: f.url || null,
      chunkSize: CHUNK,
      retryDelays: [0, 1000, 3000, 5000],
      headers: { Authorization: `Bearer ${token}` },
      metadata: { filename: f.name, filetype: f.type || "", session: f.session, sha256: f.sha256 },
      storeFingerprintForResuming: false, // the upload's URL is kept with the file instead
      async onUploadUrlAvailable() {
        record = { ...record, url: upload.url };
        await (await dbReady).put("footage", record);
      },
      onProgress(sent) {
        progress.set(f.id, sent);
        const item = document.querySelector(`.footage-item[data-id="${f.id}"]`);
        if (!item) return;
        item.querySelector("progress").value = sent;
        item.querySelector(".state").textContent = fmt(T.footage_states.uploading, {
          pct: Math.floor((100 * sent) / (f.size || 1)),
        });
      },
      onChunkComplete(_size, sent) {
        record = { ...record, offset: sent };
        dbReady.then((db) => db.put("footage", record));
      },
      onSuccess() {
        resolve({ ...record, state: "complete", offset: f.size, blob: null, error: "", done: new Date().toISOString() });
      },
      onError(err) {
        const response = err.originalResponse;
        const status = response ? response.getStatus() : 0;
        let detail = "";
        try {
          detail = response ? JSON.parse(response.getBody() || "{}").detail || "" : "";
        } catch (e) {
          detail = "";
        }
        if (status === 401) {
          kv.del(`token:${f.owner}`);
          resolve({ ...record, state: "paused", error: T.token_expired });
        } else if (status >= 400 && status < 500 && status !== 409 && status !== 423) {
          // Refused (too large, checksum differs, no permission): shown, never dropped silently.
          resolve({ ...record, state: "failed", url: null, offset: 0, error: detail || `HTTP ${status}` });
        } else {
          resolve({ ...record, state: "paused", error: navigator.onLine ? detail || T.sync_failed : "" });
        }
      },
    });
    upload.start();
  });
}

// -- the forms ----------------------------------------------------------------------------------

function option(value, label) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label;
  return o;
}

function writablePoints() {
  const writable = new Set(boot.villages.filter((v) => v.writable).map((v) => v.id));
  const names = new Map(boot.villages.map((v) => [v.id, v.name]));
  return boot.points.filter((p) => writable.has(p.village)).map((p) => ({ ...p, label: `${names.get(p.village)}·${p.name}` }));
}

function renderForms() {
  const points = writablePoints();
  $("s-point").replaceChildren(...points.map((p) => option(p.id, p.label)));
  const pastoral = points.find((p) => p.kind === "pastoral");
  if (pastoral) $("s-point").value = String(pastoral.id);
  $("s-kind").replaceChildren(...Object.entries(T.kinds).map(([k, label]) => option(k, label)));
  $("s-films").replaceChildren(
    ...boot.films.map((f) => {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = f.id;
      label.append(box, f.key_film ? `《${f.title}》（${T.key_film}）` : `《${f.title}》`);
      return label;
    })
  );
  $("s-held").value = localInput(new Date());
  onPointChange();
}

function onPointChange() {
  const point = boot.points.find((p) => String(p.id) === $("s-point").value);
  if (point) $("s-kind").value = point.kind === "pastoral" ? "pastoral" : "monthly";
  attendance.clear();
  renderMembers();
}

function expectedMembers() {
  const pointId = Number($("s-point").value);
  return boot.members.filter((m) => m.point === pointId);
}

function renderMembers() {
  const query = $("s-search").value.trim().toLowerCase();
  const members = expectedMembers();
  const rows = members
    .filter((m) => !query || m.initials.toLowerCase().startsWith(query) || m.pinyin.toLowerCase().includes(query) || m.name.includes(query))
    .map((m) => {
      const state = attendance.get(m.id) || { status: "absent", reason: "" };
      const row = document.createElement("div");
      row.className = "member";
      row.dataset.member = m.id;
      const who = document.createElement("span");
      who.className = "who";
      const small = document.createElement("small");
      small.textContent = m.initials.toUpperCase();
      who.append(m.name, small);
      const states = document.createElement("span");
      states.className = "states";
      for (const status of ["present", "excused", "absent"]) {
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = T[status];
        b.setAttribute("aria-pressed", String(state.status === status));
        b.addEventListener("click", () => {
          attendance.set(m.id, { status, reason: status === "excused" ? state.reason || "herding" : "" });
          renderMembers();
        });
        states.append(b);
      }
      row.append(who, states);
      if (state.status === "excused") {
        const select = document.createElement("select");
        select.setAttribute("aria-label", `${m.name} ${T.reason}`);
        select.append(...Object.entries(T.reasons).map(([k, label]) => option(k, label)));
        select.value = state.reason;
        select.addEventListener("change", () => attendance.set(m.id, { status: "excused", reason: select.value }));
        row.append(select);
      }
      return row;
    });
  $("s-members").replaceChildren(...(rows.length ? rows : [document.createTextNode(members.length ? "" : T.no_members)]));
  const present = members.filter((m) => (attendance.get(m.id) || {}).status === "present").length;
  $("s-count").textContent = fmt(T.present_of, { p: present, n: members.length });
}

function showErrors(id, messages) {
  const box = $(id);
  box.hidden = !messages.length;
  box.replaceChildren(...messages.map((m) => Object.assign(document.createElement("p"), { textContent: m })));
}

async function saveSession(event) {
  event.preventDefault();
  const films = [...$("s-films").querySelectorAll("input:checked")].map((i) => Number(i.value));
  const duration = Number($("s-duration").value);
  const members = expectedMembers();
  const rows = members.map((m) => ({ member: m.id, ...(attendance.get(m.id) || { status: "absent", reason: "" }) }));
  const guestName = $("s-guest-name").value.trim();
  const errors = [];
  if (!$("s-point").value) errors.push(T.need_point);
  if (!films.length) errors.push(T.need_film);
  if (!duration) errors.push(T.need_duration);
  if (!rows.some((r) => r.status === "present") && !guestName) errors.push(T.need_someone);
  showErrors("s-errors", errors);
  if (errors.length) return;
  const fourRing = {
    preparation: $("s-preparation").value.trim(),
    prepared_at: $("s-prepared").value ? isoWithOffset(new Date($("s-prepared").value)) : null,
    prompts: $("s-prompts").value.trim(),
    record_notes: $("s-record").value.trim(),
    discussion: $("s-discussion").value.trim(),
  };
  const anyRing = Object.values(fourRing).some(Boolean);
  const payload = {
    id: crypto.randomUUID(),
    point: Number($("s-point").value),
    held_at: isoWithOffset(new Date($("s-held").value)),
    captured_at: isoWithOffset(new Date()),
    kind: $("s-kind").value,
    films,
    duration_minutes: duration,
    teaching_minutes: Number($("s-teaching").value || 0),
    attendance: rows,
    guests: guestName ? [{ name: guestName, note: $("s-guest-note").value.trim() }] : [],
    four_ring: anyRing ? fourRing : null,
    notes: $("s-notes").value.trim(),
  };
  await keep("session", payload);
  event.target.reset();
  renderForms();
}

function readPhoto(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",")[1]);
    reader.onerror = reject;
    reader.readAsDataURL(file);
  });
}

async function saveInfo(event) {
  event.preventDefault();
  const title = $("i-title").value.trim();
  const text = $("i-text").value.trim();
  showErrors("i-errors", title && text ? [] : [T.need_title]);
  if (!title || !text) return;
  const file = $("i-photo").files[0];
  const payload = {
    id: crypto.randomUUID(),
    title,
    text,
    category: $("i-category").value,
    captured_at: isoWithOffset(new Date()),
    photos: file ? [{ name: file.name, data: await readPhoto(file) }] : [],
  };
  await keep("info", payload);
  event.target.reset();
}

// -- start --------------------------------------------------------------------------------------

function showNetwork() {
  const net = $("net");
  net.textContent = navigator.onLine ? T.online : T.offline;
  net.classList.toggle("off", !navigator.onLine);
}

async function loadOperator(username) {
  operator = username;
  boot = await kv.get(`bootstrap:${username}`);
  $("operator").textContent = boot ? boot.user.full_name || username : username;
  if (boot) renderForms();
  await refreshOutbox();
}

async function operatorsOnPhone() {
  const keys = await (await dbReady).getAllKeys("kv");
  return keys.filter((k) => String(k).startsWith("bootstrap:")).map((k) => String(k).slice(10));
}

async function start() {
  showNetwork();
  let current = body.dataset.user;
  if (navigator.onLine) {
    try {
      const response = await fetch(`${API}/bootstrap`, { credentials: "same-origin" });
      if (response.ok) {
        const data = await response.json();
        current = data.user.username;
        await kv.set(`bootstrap:${current}`, data);
        await kv.set("current", current);
        await ensureToken(current);
      }
    } catch (err) {
      // offline after all: use what the phone keeps
    }
  }
  current = (await kv.get("current")) || current;
  const operators = await operatorsOnPhone();
  if (operators.length > 1) {
    $("operator-switch").replaceChildren(...operators.map((u) => option(u, u)));
    $("operator-switch").value = current;
    $("operator-switch-label").hidden = false;
  }
  await loadOperator(current);
  await refreshFootage();

  let swReady = false;
  if ("serviceWorker" in navigator) {
    await navigator.serviceWorker.register(body.dataset.sw, { scope: "/capture/" });
    await navigator.serviceWorker.ready;
    swReady = true;
  }
  const token = await kv.get(`token:${current}`);
  const ready = Boolean(boot && swReady && token);
  $("ready").dataset.state = ready ? "ready" : "waiting";
  $("ready").textContent = ready ? T.ready : T.not_ready;
  if (navigator.onLine) {
    sync();
    uploadFootage();
  }
}

$("s-point").addEventListener("change", onPointChange);
$("s-search").addEventListener("input", renderMembers);
$("session-form").addEventListener("submit", saveSession);
$("info-form").addEventListener("submit", saveInfo);
$("sync").addEventListener("click", sync);
$("operator-switch").addEventListener("change", async (e) => {
  await kv.set("current", e.target.value);
  await loadOperator(e.target.value);
  await refreshFootage();
});
window.addEventListener("online", () => {
  showNetwork();
  sync();
  uploadFootage();
});
window.addEventListener("offline", showNetwork);
start();
