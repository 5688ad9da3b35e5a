// On the 404 page, on hosts that have no redirect rules: a page of a
// renamed document asked for under a former name (a version, a comparison)
// is forwarded to the same page under the current name, and a comparison
// of two versions whose page is not built (/ID/compare/FROM/TO/, published
// by earlier releases of Clause for many pairs) to the document's compare
// page, /ID/compare/?from=FROM&to=TO, which compares any two versions in
// the browser. The map of former names is written by clause build.
(function () {
  "use strict";
  var path = location.pathname;
  var script = document.currentScript;
  var pair = /^(.*\/compare\/)([^\/]+)\/([^\/]+)\/?$/;
  // A former name first: the page may exist under the current one (and if
  // it does not, this page runs again there).
  function forward(target) {
    var m = pair.exec(target);
    if (target !== path) {
      location.replace(target + location.search + location.hash);
    } else if (m) {
      location.replace(m[1] + "?from=" + m[2] + "&to=" + m[3] + location.hash);
    }
  }
  fetch(script && script.dataset.moved || "/api/moved.json", { cache: "no-cache" })
    .then(function (r) { return r.ok ? r.json() : { moved: {} }; })
    .then(function (data) {
      var moved = data.moved || {};
      var best = "";
      Object.keys(moved).forEach(function (old) {
        if (path.indexOf(old) === 0 && old.length > best.length) best = old;
      });
      forward(best ? moved[best] + path.slice(best.length) : path);
    })
    .catch(function () { forward(path); });
})();
