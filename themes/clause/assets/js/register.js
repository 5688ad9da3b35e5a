// Sub-processor register: filter and sort the table. The table is complete
// and readable without this script; it only adds the controls. A register
// in groups (sections of the list) has one tbody per group, headed by the
// group's name: rows sort within their group, and a group whose rows are
// all filtered out is hidden with its heading.
(function () {
  "use strict";
  var table = document.querySelector("table.register-table");
  if (!table) return;
  var bodies = Array.prototype.slice.call(table.tBodies);
  var rows = [];
  bodies.forEach(function (body) {
    Array.prototype.forEach.call(body.rows, function (row) {
      if (!row.classList.contains("group-row")) rows.push(row);
    });
  });
  var controls = document.querySelector(".register-controls");
  var filter = controls.querySelector(".register-filter");
  var country = controls.querySelector(".register-country");
  var count = controls.querySelector(".register-count");

  // Countries offered in the select: those the rows name.
  var seen = {};
  rows.forEach(function (row) {
    (row.getAttribute("data-countries") || "").split("|").forEach(function (c) {
      if (c) seen[c] = true;
    });
  });
  Object.keys(seen).sort().forEach(function (c) {
    var opt = document.createElement("option");
    opt.value = c;
    opt.textContent = c;
    country.appendChild(opt);
  });

  function apply() {
    var q = filter.value.trim().toLowerCase();
    var c = country.value;
    var shown = 0;
    rows.forEach(function (row) {
      var countries = (row.getAttribute("data-countries") || "").split("|");
      var match = (!q || row.textContent.toLowerCase().indexOf(q) >= 0) && (!c || countries.indexOf(c) >= 0);
      row.hidden = !match;
      if (match) shown++;
    });
    bodies.forEach(function (body) {
      var any = Array.prototype.some.call(body.rows, function (row) {
        return !row.classList.contains("group-row") && !row.hidden;
      });
      body.hidden = !any;
    });
    count.textContent = shown === rows.length ? say("count", rows.length, rows.length) : say("showing", shown, rows.length);
  }
  // The count in the page's language: the theme's plural forms
  // (data-count, data-showing), chosen by the browser's plural rules.
  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "en") : null;
  function say(which, n, total) {
    var forms = {};
    try { forms = JSON.parse(count.getAttribute("data-" + which) || "{}"); } catch (e) { /* English below */ }
    var text = forms[plurals ? plurals.select(n) : "other"] || forms.other ||
      (which === "count" ? "{{ .Count }} sub-processors" : "Showing {{ .Count }} of {{ .Total }} sub-processors");
    return text.replace(/\{\{-?\s*\.Count\s*-?\}\}/g, String(n)).replace(/\{\{-?\s*\.Total\s*-?\}\}/g, String(total));
  }
  filter.addEventListener("input", apply);
  country.addEventListener("change", apply);

  // Sorting: each column header becomes a button.
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, index) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    th.setAttribute("aria-sort", "none");
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var sorted = rows.slice().sort(function (a, b) {
        var x = a.cells[index].textContent.trim(), y = b.cells[index].textContent.trim();
        var r = x.localeCompare(y, undefined, { sensitivity: "base", numeric: true });
        return ascending ? r : -r;
      });
      // Each row goes back to the end of its own group.
      sorted.forEach(function (row) { row.parentNode.appendChild(row); });
    });
  });

  controls.hidden = false;
  apply();
})();
