// The compare page, /ID/compare/?from=A&to=B: loads the two versions'
// published texts (their blocks, as Clause compares them, from the packs
// versions.json names) and Clause's redline engine, generator/diff
// compiled to WebAssembly (run by Go's wasm_exec.js, loaded before this
// script), compares them in the browser and fills the page as the
// precomputed redlines are laid out. With no query it compares the newest
// version with its predecessor.
(function () {
  "use strict";
  var root = document.querySelector(".live-redline");
  if (!root) return;
  var data = function (name) { return root.getAttribute("data-" + name); };
  var sides = root.querySelector(".compare-sides");
  var summary = root.querySelector(".compare-summary");
  var metadata = root.querySelector(".compare-metadata");
  var legend = root.querySelector(".legend");
  var body = document.querySelector(".redline-body");
  var query = new URLSearchParams(location.search);
  var fromID = query.get("from") || data("from"), toID = query.get("to") || data("to");
  // The page's strings, in its language (data-i18n, from the theme's
  // i18n bundles); English when the attribute is missing.
  var words = { comparing: "Comparing…", from: "From", to: "to", version_of: "the version of",
    only_details: "The words of the text are the same in both versions; only the details above the text changed.",
    only_layout: "The words of the text are the same in both versions; only the layout (such as line breaks) differs.",
    same: "The two versions are the same.", no_version: "No version {ID} of this document.",
    too_large: "A version is too large to compare in the browser: run clause diff {From} {To} in the repository." };
  try {
    var given = JSON.parse(data("i18n") || "{}");
    Object.keys(given).forEach(function (k) { if (given[k]) words[k] = given[k]; });
  } catch (e) { /* keep English */ }
  // The engine's words (data-words) and the summary's plural forms
  // (data-summary) of a page not in English, whose plural rules are the
  // browser's for data-lang.
  function parsed(name) {
    try { return JSON.parse(data(name) || "null"); } catch (e) { return null; }
  }
  var engineWords = parsed("words"), summaryForms = parsed("summary"), lang = data("lang") || "";
  var plurals = lang && window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
  function counted(forms, n) {
    var s = (forms && (forms[plurals ? plurals.select(n) : "other"] || forms.other)) || "";
    return s.replace(/\{\{-?\s*\.Count\s*-?\}\}/g, String(n));
  }
  // The summary in the page's language, as the build writes it
  // (localStatsSummary); the engine's English one without forms.
  function summaryOf(r) {
    var f = summaryForms, c = r.counts;
    if (!f || !c) return r.summary;
    var parts = [];
    [["changed", c.changed], ["added", c.inserted], ["removed", c.deleted], ["moved", c.moved]].forEach(function (p) {
      if (p[1] > 0) parts.push(counted(f[(parts.length ? "" : "clauses_") + p[0]], p[1]));
    });
    if (c.renumbered > 0) parts.push(counted(f.renumbered, c.renumbered));
    if (c.reparagraphed > 0) {
      if (!parts.length) return f.no_textual_change + "; " + counted(f.reparagraphed, c.reparagraphed);
      parts.push(counted(f.reparagraphed, c.reparagraphed));
    }
    return parts.length ? parts.join(f.separator || ", ") : f.no_textual_change;
  }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }

  function say(text) { summary.textContent = text; }
  function json(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.text();
    });
  }

  // The engine: fetched once, checked against its integrity hash.
  function engine() {
    if (typeof Go !== "function") return Promise.reject(new Error("wasm_exec.js did not load"));
    var go = new Go();
    var res = fetch(data("wasm"), { credentials: "same-origin", integrity: data("wasm-integrity") });
    var compiled = WebAssembly.instantiateStreaming
      ? WebAssembly.instantiateStreaming(res, go.importObject).catch(function () {
          // A host that serves .wasm without application/wasm.
          return fetch(data("wasm"), { credentials: "same-origin", integrity: data("wasm-integrity") })
            .then(function (r) { return r.arrayBuffer(); })
            .then(function (b) { return WebAssembly.instantiate(b, go.importObject); });
        })
      : res.then(function (r) { return r.arrayBuffer(); }).then(function (b) { return WebAssembly.instantiate(b, go.importObject); });
    return compiled.then(function (result) {
      go.run(result.instance); // defines clauseRedline, then waits for calls
      if (typeof window.clauseRedline !== "function") throw new Error("the redline engine did not start");
      return window.clauseRedline;
    });
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  say(words.comparing);
  json(data("versions")).then(function (text) {
    var versions = JSON.parse(text);
    var find = function (id) {
      // "current": the newest version (the list is newest first), as in
      // /ID/compare/FROM/current/, which some hosts redirect here.
      if (id === "current") return versions[0] || null;
      for (var i = 0; i < versions.length; i++) if (versions[i].id === id) return versions[i];
      return null;
    };
    var from = find(fromID), to = find(toID);
    if (!from || !to) throw new Error(fill(words.no_version, { ID: from ? toID : fromID }));
    var base = data("versions-url");
    sides.textContent = "";
    sides.append(words.from + " ", link(base + from.id + "/", words.version_of + " " + from.date), " " + words.to + " ", link(base + to.id + "/", words.version_of + " " + to.date));
    sides.hidden = false;
    document.title = data("title") + ": " + from.date + " → " + to.date + " · " + data("site");
    if (!from.text || !to.text || !from.pack || !to.pack) {
      throw new Error(fill(words.too_large, { From: from.id, To: to.id }));
    }
    // Each text is a member of a pack, a few versions' texts to a file
    // (fetched once when both are in the same); the engine is given the
    // member's JSON.
    var packs = {};
    [from.pack, to.pack].forEach(function (name) {
      if (!packs[name]) packs[name] = json(data("texts") + name).then(JSON.parse);
    });
    var text = function (v) {
      return packs[v.pack].then(function (pack) {
        if (!Object.prototype.hasOwnProperty.call(pack, v.text)) throw new Error(v.pack + ": no text " + v.text);
        return JSON.stringify(pack[v.text]);
      });
    };
    return Promise.all([text(from), text(to), engine()]).then(function (all) {
      var opts = { link_base: data("link-base") + to.id + "/", omit: false };
      if (engineWords) { opts.words = engineWords; opts.lang = lang; }
      var out = all[2](all[0], all[1], JSON.stringify(opts));
      if (typeof out !== "string") throw new Error(out && out.error || "the redline engine failed");
      var r = JSON.parse(out);
      var meta = r.metadata || [];
      var strong = document.createElement("strong");
      strong.textContent = summaryOf(r) + ".";
      summary.textContent = "";
      summary.append(strong);
      if (r.identical) {
        summary.append(" " + (meta.length ? words.only_details : r.source_changed ? words.only_layout : words.same));
      }
      metadata.textContent = "";
      meta.forEach(function (m) {
        var li = document.createElement("li");
        li.textContent = m;
        metadata.append(li);
      });
      metadata.hidden = meta.length === 0;
      legend.hidden = r.identical;
      // The engine's HTML: every text of the documents escaped, classes only.
      body.innerHTML = r.identical ? "" : r.html;
      body.hidden = r.identical;
      root.setAttribute("data-compared", from.id + " " + to.id);
    });
  }).catch(function (err) {
    say(err.message);
    root.setAttribute("data-compared", "error");
  });
})();
