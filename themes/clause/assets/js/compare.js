// "Compare any two versions": goes to the precomputed redline of the two
// versions chosen. The portal is static, so only precomputed pairs exist;
// for others the form says how to compare them locally.
(function () {
  "use strict";
  document.querySelectorAll("form.compare-control").forEach(function (form) {
    var pairs = {};
    (form.getAttribute("data-pairs") || "").split(" ").forEach(function (p) { if (p) pairs[p] = true; });
    var base = form.getAttribute("data-base");
    var from = form.elements.from, to = form.elements.to;
    var message = form.querySelector(".compare-message");
    // Options are listed newest first: a lower index is a newer version.
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var a = from.selectedIndex, b = to.selectedIndex;
      if (a === b) {
        message.textContent = "Choose two different versions.";
        return;
      }
      var older = a > b ? from.value : to.value;
      var newer = a > b ? to.value : from.value;
      var key = older + "/" + newer;
      if (!pairs[key]) {
        message.textContent = "This comparison is not published (the document has many versions). Run: clause diff with versions " + older + " and " + newer + ".";
        return;
      }
      message.textContent = "";
      window.location.href = base + key + "/";
    });
    form.hidden = false;
  });
})();
