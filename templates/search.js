// Offline full-text search over the site's documents. The index is a
// script (static/search-index.js) that sets window.NIANBAO_SEARCH, so this
// works from a web server and from disk alike; nothing is fetched.
// Chinese needs no word splitting: a query matches where its text occurs.
(function () {
  "use strict";
  var docs = window.NIANBAO_SEARCH || [];
  var input = document.getElementById("q");
  var status = document.getElementById("status");
  var list = document.getElementById("results");

  function terms(q) {
    return q.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
  }

  function count(hay, needle) {
    var n = 0, i = hay.indexOf(needle);
    while (i !== -1) { n++; i = hay.indexOf(needle, i + needle.length); }
    return n;
  }

  // Text nodes only: titles and snippets come from data and are never HTML.
  function snippet(text, term) {
    var at = text.toLowerCase().indexOf(term);
    var from = Math.max(0, at - 40), to = Math.min(text.length, at + term.length + 60);
    var p = document.createElement("p");
    p.className = "snippet";
    p.appendChild(document.createTextNode((from > 0 ? "…" : "") + text.slice(from, at)));
    var mark = document.createElement("mark");
    mark.textContent = text.slice(at, at + term.length);
    p.appendChild(mark);
    p.appendChild(document.createTextNode(text.slice(at + term.length, to) + (to < text.length ? "…" : "")));
    return p;
  }

  function run(q) {
    list.textContent = "";
    var ts = terms(q);
    if (ts.length === 0) { status.textContent = ""; return; }
    var hits = [];
    docs.forEach(function (d) {
      var title = d.title.toLowerCase(), text = d.text.toLowerCase(), score = 0;
      for (var i = 0; i < ts.length; i++) {
        var inTitle = count(title, ts[i]), inText = count(text, ts[i]);
        if (inTitle + inText === 0) return;
        score += inTitle * 10 + inText;
      }
      hits.push({ d: d, score: score });
    });
    hits.sort(function (a, b) { return b.score - a.score || b.d.year - a.d.year; });
    status.textContent = "找到 " + hits.length + " 份文档";
    hits.slice(0, 100).forEach(function (h) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = h.d.url;
      a.textContent = h.d.title;
      li.appendChild(a);
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = "　" + h.d.office + " · " + h.d.year + "年";
      li.appendChild(meta);
      if (h.d.text.toLowerCase().indexOf(ts[0]) !== -1) li.appendChild(snippet(h.d.text, ts[0]));
      list.appendChild(li);
    });
  }

  var q = new URLSearchParams(window.location.search).get("q") || "";
  input.value = q;
  run(q);
  input.addEventListener("input", function () { run(input.value); });
})();
