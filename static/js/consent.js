// Progressive enhancement only: every consent choice works as a plain form without this file.
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) {
      return input.value;
    }
    var meta = document.querySelector("meta[name=consent-gpc]");
    return meta ? meta.content : "";
  }

  function honourScriptSignal() {
    if (!navigator.globalPrivacyControl) {
      return;
    }
    document.querySelectorAll("[data-gpc-notice]").forEach(function (el) {
      el.hidden = false;
    });
    var marker = document.querySelector("[data-gpc]");
    var token = csrfToken();
    // Tell the server once, when it has not seen the header itself, so the opt-out is recorded.
    if (marker && marker.dataset.gpc === "0" && token && window.fetch) {
      marker.dataset.gpc = "1";
      fetch(marker.dataset.gpcUrl || "/privacy/choices/gpc/", {
        method: "POST",
        credentials: "same-origin",
        headers: {"X-CSRFToken": token},
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", honourScriptSignal);
  } else {
    honourScriptSignal();
  }
})();
