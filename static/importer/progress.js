// While a link is read, ask for the status a few times a second and move on once it is done.
// Without JavaScript the page's meta refresh does the same, more slowly.
(function () {
  "use strict";
  var node = document.querySelector("[data-status-url]");
  if (!node || !window.fetch) {
    return;
  }
  var url = node.getAttribute("data-status-url");
  var poll = function () {
    window
      .fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        if (data.status !== "pending") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 250);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 1000);
      });
  };
  window.setTimeout(poll, 200);
})();
