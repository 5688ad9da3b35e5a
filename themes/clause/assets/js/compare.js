// "Compare any two versions": fills the form from the document's
// versions.json and opens the document's compare page for the two versions
// chosen, older first: /ID/compare/?from=OLDER&to=NEWER, a shareable URL
// where Clause's redline engine compares them in the browser.
(function () {
  "use strict";
  document.querySelectorAll("form.compare-control").forEach(function (form) {
    var base = form.getAttribute("data-base");
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
        // On the compare page, the pair shown; elsewhere the page's own.
        var query = form.hasAttribute("data-query") ? new URLSearchParams(location.search) : null;
        [[from, "from"], [to, "to"]].forEach(function (pick) {
          var id = (query && query.get(pick[1])) || form.getAttribute("data-" + pick[1]);
          if (id === "current" && versions.length) id = versions[0].id; // the newest (the list is newest first)
          if (versions.some(function (v) { return v.id === id; })) pick[0].value = id;
        });
        form.hidden = false;
      })
      .catch(function (err) { console.warn("compare form unavailable:", err.message); });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      // Options are newest first: the higher index is the older version.
      var a = from.selectedIndex, b = to.selectedIndex;
      if (a === b) {
        message.textContent = form.getAttribute("data-choose-two") || "Choose two different versions.";
        return;
      }
      message.textContent = "";
      var older = from.options[Math.max(a, b)].value, newer = from.options[Math.min(a, b)].value;
      window.location.href = base + "?from=" + encodeURIComponent(older) + "&to=" + encodeURIComponent(newer);
    });
  });
})();
