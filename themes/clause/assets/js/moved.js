// On the 404 page: a page of a renamed document asked for under a former
// name (a version, a comparison) is forwarded to the same page under the
// current name, on hosts that have no redirect rules. The map of former
// names is written by clause build.
(function () {
  "use strict";
  var path = location.pathname;
  var script = document.currentScript;
  fetch(script && script.dataset.moved || "/api/moved.json", { cache: "no-cache" })
    .then(function (r) { return r.ok ? r.json() : { moved: {} }; })
    .then(function (data) {
      var moved = data.moved || {};
      var best = "";
      Object.keys(moved).forEach(function (old) {
        if (path.indexOf(old) === 0 && old.length > best.length) best = old;
      });
      if (best) location.replace(moved[best] + path.slice(best.length) + location.search + location.hash);
    })
    .catch(function () {});
})();
