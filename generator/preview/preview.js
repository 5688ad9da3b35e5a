// clause serve only: reloads the page when a build finishes. Never part of
// a published portal.
(function () {
  "use strict";
  var seen = Number(document.currentScript && document.currentScript.dataset.generation);
  function poll() {
    fetch("/__clause/status", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.generation !== seen) {
          location.reload();
          return;
        }
        setTimeout(poll, 700);
      })
      .catch(function () { setTimeout(poll, 2000); }); // the preview stopped or restarts
  }
  poll();
})();
