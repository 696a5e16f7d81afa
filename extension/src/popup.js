// The popup: connect once, then on each click read the page, preview, and save.
//
// What is read from the page: its JSON-LD blocks (64 KB at most), canonical URL, title,
// OpenGraph tags and the selected text (20,000 characters at most), the same as the
// bookmarklet. It is sent only to the JobTrax server the person connected, with the token.
import { DEFAULT_SERVER } from "./config.js";

const api = globalThis.browser ?? globalThis.chrome;
const $ = (id) => document.getElementById(id);
let state = { server: "", token: "", preview: null, tracked: null };

function show(id, visible) {
  $(id).hidden = !visible;
}

function say(text, error = false) {
  $("status").textContent = text;
  $("status").className = error ? "error" : "";
}

// Runs in the page, as a function, on the click only.
function collect() {
  const cap = 65536;
  const sent = { url: location.href, title: String(document.title || "").slice(0, 500) };
  const canonical = document.querySelector('link[rel="canonical"]');
  if (canonical && canonical.href) sent.canonical = canonical.href;
  const og = {};
  let count = 0;
  document.querySelectorAll("meta[property],meta[name]").forEach((m) => {
    const key = m.getAttribute("property") || m.getAttribute("name") || "";
    if (/^(og|article|job):/.test(key) && count < 40) {
      og[key.slice(0, 64)] = String(m.getAttribute("content") || "").slice(0, 2000);
      count += 1;
    }
  });
  sent.og = og;
  const blocks = [];
  let size = 0;
  document.querySelectorAll('script[type="application/ld+json"]').forEach((s) => {
    const text = s.textContent || "";
    size += text.length;
    if (size <= cap && blocks.length < 20) blocks.push(text);
  });
  sent.jsonld = blocks;
  const selection = window.getSelection ? String(window.getSelection()) : "";
  sent.selection = selection.slice(0, 20000);
  return sent;
}

async function call(path, body) {
  const response = await fetch(state.server + "/api/v1" + path, {
    method: body ? "POST" : "GET",
    credentials: "omit",
    headers: { Authorization: "Bearer " + state.token, "Content-Type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({}));
  if (response.status === 401) {
    await api.storage.local.remove("token");
    state.token = "";
    showConnect("JobTrax no longer accepts this extension's token. Connect again.");
    throw new Error("unauthorized");
  }
  if (!response.ok) {
    const errors = (data.errors || []).map((e) => (e.field ? e.field + ": " : "") + e.message);
    throw new Error([data.detail || "JobTrax could not do that.", ...errors].join(" "));
  }
  return data;
}

function showConnect(message) {
  for (const id of ["preview", "tracked", "done", "account"]) show(id, false);
  show("connect", true);
  $("server").value = state.server || DEFAULT_SERVER;
  say(message || "");
}

// The tab the person clicked from. Opened as a page (not as the toolbar popup) the popup is
// itself the active tab: then it reads the tab of its window used most recently before it.
async function targetTab() {
  const own = api.tabs.getCurrent ? await api.tabs.getCurrent() : null;
  const [active] = await api.tabs.query({ active: true, lastFocusedWindow: true });
  if (active && (!own || active.id !== own.id)) return active;
  if (!own) return active;
  const byRecent = (a, b) => (b.lastAccessed || 0) - (a.lastAccessed || 0);
  let others = (await api.tabs.query({ windowId: own.windowId })).filter((t) => t.id !== own.id);
  if (!others.length) {
    others = (await api.tabs.query({ windowType: "normal" })).filter((t) => t.id !== own.id);
  }
  return others.sort(byRecent)[0];
}

function fill(posting) {
  for (const name of ["title", "company", "location", "salary_min", "salary_max", "salary_currency"]) {
    $(name).value = posting[name] == null ? "" : String(posting[name]);
  }
}

async function capture() {
  say("Reading this page…");
  const tab = await targetTab();
  if (!tab) {
    say("Open a job posting, then click the extension.", true);
    return;
  }
  let results;
  try {
    results = await api.scripting.executeScript({ target: { tabId: tab.id }, func: collect });
  } catch (error) {
    say("This page cannot be read (a browser page or a store). Open a job posting and try again.", true);
    return;
  }
  const page = results[0].result;
  let preview = await call("/imports", { capture: page });
  for (let i = 0; preview.status === "pending" && i < 20; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    preview = await call("/imports/" + preview.id);
  }
  if (preview.status !== "ready" || !preview.postings.length) {
    say(preview.error || "No job posting was found on this page.", true);
    return;
  }
  state.preview = preview;
  const posting = preview.postings[0];
  fill(posting);
  state.tracked = posting.already_tracked;
  if (state.tracked) {
    $("tracked-stage").textContent = state.tracked.stage_label;
    $("tracked-link").href = state.server + state.tracked.link;
    $("stage").value = state.tracked.stage;
    $("save").textContent = "Update it in JobTrax";
    say("Already tracked.");
  } else {
    $("save").textContent = "Save to JobTrax";
    say("");
  }
  show("tracked", Boolean(state.tracked));
  show("preview", true);
  $("title").focus();
}

async function save(event) {
  event.preventDefault();
  const body = { stage: $("stage").value, update: Boolean(state.tracked) };
  for (const name of ["title", "company", "location", "salary_currency"]) body[name] = $(name).value;
  for (const name of ["salary_min", "salary_max"]) {
    const value = $(name).value.trim();
    body[name] = value === "" ? null : value;
  }
  try {
    const job = await call("/imports/" + state.preview.id + "/confirm", body);
    show("preview", false);
    show("tracked", false);
    $("done-link").href = state.server + job.link;
    show("done", true);
    say(state.tracked ? "Updated in your tracker." : "Saved to your tracker.");
  } catch (error) {
    if (error.message !== "unauthorized") say(error.message, true);
  }
}

async function connect(event) {
  event.preventDefault();
  let server;
  try {
    server = new URL($("server").value.trim()).origin;
  } catch (error) {
    say("Type the address of your JobTrax, for example " + DEFAULT_SERVER + ".", true);
    return;
  }
  // The one host this extension may reach: asked for now, for this origin only.
  const granted = await api.permissions.request({ origins: [server + "/*"] });
  if (!granted) {
    say("Without access to " + server + " the extension cannot send jobs there.", true);
    return;
  }
  await api.storage.local.set({ server });
  const tab = await api.tabs.create({ url: server + "/connect/extension/" });
  await api.runtime.sendMessage({ type: "connecting", tabId: tab.id, server });
  say("Approve the connection in the JobTrax tab that opened.");
}

async function start() {
  $("connect").addEventListener("submit", connect);
  $("preview").addEventListener("submit", save);
  $("disconnect").addEventListener("click", async () => {
    await api.storage.local.remove("token");
    state.token = "";
    showConnect("Disconnected. Revoke the token on JobTrax's “Connected apps” page too.");
  });
  const stored = await api.storage.local.get(["server", "token"]);
  state.server = stored.server || "";
  state.token = stored.token || "";
  if (!state.token) {
    showConnect();
    return;
  }
  show("account", true);
  try {
    await capture();
  } catch (error) {
    if (error.message !== "unauthorized") say(error.message, true);
  }
}

start();
