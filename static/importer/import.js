// The bookmarklet opens /jobs/import/#d=<payload>. Take the payload out of the address at
// once (so it stays out of history, bookmarks and screenshots), put it in the form and say
// which page it came from. Nothing is sent until the person clicks "Read this page": a link
// from another site to #d=... can fill the form, never make JobTrax read or fetch anything.
(function () {
  "use strict";
  var hash = window.location.hash;
  if (hash.indexOf("#d=") !== 0) {
    return;
  }
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  var form = document.getElementById("bookmarklet-form");
  if (!form) {
    return;
  }
  var payload = hash.slice(3);
  form.elements.payload.value = payload;
  var source = document.getElementById("bookmarklet-source");
  var sent = "";
  try {
    var text = payload.replace(/-/g, "+").replace(/_/g, "/");
    var bytes = Uint8Array.from(window.atob(text), function (c) { return c.charCodeAt(0); });
    var data = JSON.parse(new TextDecoder().decode(bytes));
    if (data && typeof data.url === "string") {
      sent = data.url.slice(0, 200);
    }
  } catch (error) {
    sent = "";
  }
  if (source && sent) {
    source.textContent = sent;  // text, never markup
    document.getElementById("bookmarklet-from").hidden = false;
  }
  document.getElementById("bookmarklet-confirm").hidden = false;
  var button = document.getElementById("bookmarklet-read");
  button.focus();
  form.addEventListener("submit", function () {
    document.getElementById("bookmarklet-status").hidden = false;
  });
})();
