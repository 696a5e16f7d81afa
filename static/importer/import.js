// The bookmarklet opens /jobs/import/#d=<payload>. Take the payload out of the address at
// once (so it stays out of history, bookmarks and screenshots) and send it with a normal
// same-origin POST carrying the session and the CSRF token.
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
  form.elements.payload.value = hash.slice(3);
  document.getElementById("bookmarklet-status").hidden = false;
  form.submit();
})();
