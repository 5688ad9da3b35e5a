// "Compare any two versions": fills the form from the document's
// versions.json and goes to the precomputed redline of the two versions
// chosen. The portal is static, so only precomputed pairs exist: each
// version against its predecessor and against the newest, and every pair
// among the newest data-all-pairs versions (the rule of Clause's
// comparePairs: 20, fewer before a version over 1 MiB). For other pairs the form says how to compare locally.
(function () {
  "use strict";
  document.querySelectorAll("form.compare-control").forEach(function (form) {
    var base = form.getAttribute("data-base");
    var allPairs = parseInt(form.getAttribute("data-all-pairs"), 10) || 0;
    var from = form.elements.from, to = form.elements.to;
    var message = form.querySelector(".compare-message");
    fetch(form.getAttribute("data-versions"), { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error("versions.json: " + r.status);
        return r.json();
      })
      .then(function (versions) {
        versions.forEach(function (v) {
          [from, to].forEach(function (select) {
            var opt = document.createElement("option");
            opt.value = v.id;
            opt.textContent = v.date + " — " + v.subject;
            select.appendChild(opt);
          });
        });
        from.value = form.getAttribute("data-from");
        to.value = form.getAttribute("data-to");
        form.hidden = false;
      })
      .catch(function (err) { console.warn("compare form unavailable:", err.message); });

    // Options are newest first: index 0 is the newest version.
    function published(older, newer) {
      return older === newer + 1 || newer === 0 || older < allPairs;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var a = from.selectedIndex, b = to.selectedIndex;
      if (a === b) {
        message.textContent = "Choose two different versions.";
        return;
      }
      var older = Math.max(a, b), newer = Math.min(a, b);
      var olderID = from.options[older].value, newerID = from.options[newer].value;
      if (!published(older, newer)) {
        message.textContent = "This comparison is not published (the document has many versions, or very large ones). Run: clause diff DOC " + olderID + " " + newerID;
        return;
      }
      message.textContent = "";
      window.location.href = base + olderID + "/" + newerID + "/";
    });
  });
})();
