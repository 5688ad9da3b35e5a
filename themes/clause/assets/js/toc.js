// Table of contents. On a wide screen the contents are a side column: this
// script keeps them open there and marks the clause being read
// (aria-current) as the reader scrolls, with an IntersectionObserver. On a
// small screen they stay a collapsed list above the text. Without the
// script the contents are an ordinary list that opens on a click.
(function () {
  "use strict";
  var nav = document.querySelector("nav.toc");
  if (!nav) return;
  var details = nav.querySelector("details");
  var wide = window.matchMedia("(min-width: 60rem)");
  var side = !!details && !nav.closest(".document-text");
  function layout() {
    if (side && wide.matches) details.open = true;
  }
  layout();
  if (wide.addEventListener) wide.addEventListener("change", layout);

  if (!("IntersectionObserver" in window)) return;
  var links = {}, headings = [];
  Array.prototype.forEach.call(nav.querySelectorAll('a[href^="#"]'), function (a) {
    var id = decodeURIComponent(a.getAttribute("href").slice(1));
    var h = document.getElementById(id);
    if (h && !links[id]) {
      links[id] = a;
      headings.push(h);
    }
  });
  if (!headings.length) return;

  var current = null;
  // The clause being read is the last one whose heading has reached the
  // top of the window (its top twentieth, where a link to it scrolls it).
  function update() {
    var line = window.innerHeight / 20 + 1, found = null;
    for (var i = 0; i < headings.length; i++) {
      if (headings[i].getBoundingClientRect().top > line) break;
      found = headings[i];
    }
    var link = found ? links[found.id] : null;
    if (link === current) return;
    if (current) current.removeAttribute("aria-current");
    if (link) {
      link.setAttribute("aria-current", "true");
      // Keep it in view in a side column taller than the window.
      if (side && wide.matches && nav.scrollHeight > nav.clientHeight) {
        var n = nav.getBoundingClientRect(), l = link.getBoundingClientRect();
        if (l.top < n.top || l.bottom > n.bottom) nav.scrollTop += l.top - n.top - n.height / 3;
      }
    }
    current = link;
  }
  var observer = new IntersectionObserver(update, { rootMargin: "0px 0px -95% 0px" });
  headings.forEach(function (h) { observer.observe(h); });
  update();
})();
