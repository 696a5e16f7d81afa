// The extension's service worker does one thing: finish connecting.
//
// The popup closes as soon as the person moves to JobTrax's "Connect the extension" tab, so
// it cannot wait there itself. It records which tab it opened; when that tab finishes loading
// a page of the server the person approved, this worker reads the token the page shows (with
// the host permission granted for that one origin), stores it and closes the tab. It polls
// nothing and reads no other tab: it wakes only on that tab's loads.
const api = globalThis.browser ?? globalThis.chrome;
const TOKEN_ELEMENT = "jobtrax-extension-token";

async function pending() {
  const { connecting } = await api.storage.session.get("connecting");
  return connecting || null;
}

function readToken(elementId) {
  const element = document.getElementById(elementId);
  return element ? { origin: location.origin, token: element.dataset.token || "" } : null;
}

async function finish(tabId, connecting) {
  let results;
  try {
    results = await api.scripting.executeScript({
      target: { tabId },
      func: readToken,
      args: [TOKEN_ELEMENT],
    });
  } catch (error) {
    return; // not the server's page (a sign-in elsewhere): keep waiting
  }
  const found = results && results[0] && results[0].result;
  if (!found || found.origin !== connecting.server || !found.token.startsWith("jtx_")) return;
  await api.storage.local.set({ server: connecting.server, token: found.token });
  await api.storage.session.remove("connecting");
  await api.tabs.remove(tabId);
}

api.tabs.onUpdated.addListener(async (tabId, change) => {
  if (change.status !== "complete") return;
  const connecting = await pending();
  if (connecting && connecting.tabId === tabId) await finish(tabId, connecting);
});

api.tabs.onRemoved.addListener(async (tabId) => {
  const connecting = await pending();
  if (connecting && connecting.tabId === tabId) await api.storage.session.remove("connecting");
});

api.runtime.onMessage.addListener((message, sender, reply) => {
  if (sender.id !== api.runtime.id || !message || message.type !== "connecting") return false;
  api.storage.session
    .set({ connecting: { tabId: message.tabId, server: message.server } })
    .then(() => reply({ ok: true }));
  return true;
});
