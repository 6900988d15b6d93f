// Offline full-text search over the site's documents, loading only what a
// query needs. search/index.js (the manifest, window.NIANBAO_INDEX) lists the offices by
// partition; every character and every pair of adjacent characters is a
// key, and a key's postings are in search/<partition>/<bucket>.js; an
// office-year's texts (for snippets, and to check a term longer than two
// characters) in <office>/<year>/search.js. All are scripts that call the
// functions below, so this works from a web server and from disk alike.
// Chinese needs no word splitting: a term matches where its text occurs.
(function () {
  "use strict";
  var PAGE = 20;
  var index = window.NIANBAO_INDEX || null, parts = [], shards = {}, texts = {}, loading = {};
  var input = document.getElementById("q");
  var status = document.getElementById("status");
  var list = document.getElementById("results");
  var seq = 0;

  window.nianbaoShard = function (p, b, keys) { shards[p + "/" + b] = keys; };
  window.nianbaoText = function (t) { texts[t.office + "/" + t.year] = t.docs; };

  // Each partition's documents in order: [slug, year, n-th document of
  // that office-year].
  function partitions() {
    for (var p = 0; p < index.partitions; p++) parts.push([]);
    index.offices.forEach(function (o) {
      var years = o[2];
      for (var k = 0; k < years.length; k++) {
        var nth = 0;
        while (nth < k && years[k - nth - 1] === years[k]) nth++;
        parts[o[1]].push([o[0], years[k], nth]);
      }
    });
  }

  function script(src) {
    if (!loading[src]) {
      loading[src] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = resolve;
        s.onerror = function () { reject(new Error(src)); };
        document.head.appendChild(s);
      });
    }
    return loading[src];
  }

  function fnv(chars) {
    var h = 2166136261;
    for (var i = 0; i < chars.length; i++) {
      h ^= chars[i].codePointAt(0);
      h = Math.imul(h, 16777619) >>> 0;
    }
    return h;
  }

  function lower(s) { return s.replace(/[A-Z]/g, function (c) { return c.toLowerCase(); }); }

  // A term's keys: its characters alone if it has one, else its pairs, in
  // runs between separators.
  function keys(term) {
    var runs = [[]], out = [];
    Array.from(term).forEach(function (c) {
      if (/\s/.test(c) || index.separators.indexOf(c) !== -1) runs.push([]);
      else runs[runs.length - 1].push(c);
    });
    runs.forEach(function (r) {
      if (r.length === 1) out.push(r);
      for (var i = 0; i + 1 < r.length; i++) out.push([r[i], r[i + 1]]);
    });
    return out;
  }

  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  // Postings: (gap, count) pairs of base-32 digits, low first.
  function postings(s) {
    var m = new Map(), nums = [], v = 0, mult = 1;
    for (var i = 0; i < s.length; i++) {
      var d = DIGITS.indexOf(s[i]);
      if (d >= 32) { v += (d - 32) * mult; mult *= 32; }
      else { nums.push(v + d * mult); v = 0; mult = 1; }
    }
    var doc = -1;
    for (var j = 0; j + 1 < nums.length; j += 2) { doc += nums[j] + 1; m.set(doc, nums[j + 1]); }
    return m;
  }

  // Documents of partition p with every key of every term; the score adds
  // up each term's rarest key count.
  function match(p, terms) {
    var scores = null;
    for (var t = 0; t < terms.length; t++) {
      var term = null;
      for (var k = 0; k < terms[t].length; k++) {
        var key = terms[t][k].join("");
        var s = shards[p + "/" + (fnv(terms[t][k]) % index.buckets)];
        var m = postings((s && s[key]) || "");
        if (term === null) { term = m; continue; }
        var next = new Map();
        term.forEach(function (n, d) { if (m.has(d)) next.set(d, Math.min(n, m.get(d))); });
        term = next;
      }
      if (scores === null) scores = term;
      else {
        var both = new Map();
        scores.forEach(function (n, d) { if (term.has(d)) both.set(d, n + term.get(d)); });
        scores = both;
      }
      if (scores.size === 0) break;
    }
    return scores || new Map();
  }

  // Text nodes only: titles and snippets come from data and are never HTML.
  function snippet(text, term) {
    var at = lower(text).indexOf(term);
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

  function item(d, term) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = d.url;
    a.textContent = d.title;
    li.appendChild(a);
    var meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = "　" + d.office + " · " + d.year + "年";
    li.appendChild(meta);
    if (lower(d.text).indexOf(term) !== -1) li.appendChild(snippet(d.text, term));
    return li;
  }

  function load(hits) {
    var files = {};
    hits.forEach(function (h) { files[encodeURIComponent(h.slug) + "/" + h.year + "/search.js"] = true; });
    return Promise.all(Object.keys(files).map(script));
  }

  // Show the next page of hits: their texts loaded, each term checked in
  // the text itself (pairs can occur apart), the failures left out.
  function more(my, words, hits, state) {
    var page = hits.slice(state.next, state.next + PAGE);
    state.next += page.length;
    return load(page).then(function () {
      if (my !== seq) return;
      page.forEach(function (h) {
        var d = (texts[h.slug + "/" + h.year] || [])[h.k];
        var hay = d ? lower(d.title + " " + d.text) : "";
        if (!d || words.some(function (w) { return hay.indexOf(w) === -1; })) { state.dropped++; return; }
        list.appendChild(item(d, words[0]));
        state.shown++;
      });
      if (state.shown < PAGE * state.pages && state.next < hits.length) return more(my, words, hits, state);
      show(my, words, hits, state);
    });
  }

  function show(my, words, hits, state) {
    status.textContent = "找到 " + (hits.length - state.dropped) + " 份文档";
    var old = document.getElementById("more");
    if (old) old.remove();
    if (state.next < hits.length) {
      var b = document.createElement("button");
      b.id = "more";
      b.type = "button";
      b.textContent = "更多结果";
      b.addEventListener("click", function () { state.pages++; more(my, words, hits, state); });
      list.after(b);
    }
    list.dataset.done = words.join(" ");
  }

  function run(q) {
    var my = ++seq;
    list.textContent = "";
    delete list.dataset.done;
    var old = document.getElementById("more");
    if (old) old.remove();
    var words = lower(q).split(/\s+/).filter(function (t) { return t.length > 0; });
    var terms = index ? words.map(keys).filter(function (k) { return k.length > 0; }) : [];
    if (terms.length === 0) { status.textContent = ""; return; }
    status.textContent = "正在搜索……";
    var need = {};
    terms.forEach(function (t) { t.forEach(function (k) { need[fnv(k) % index.buckets] = true; }); });
    var loads = [];
    for (var p = 0; p < index.partitions; p++) {
      Object.keys(need).forEach(function (b) { loads.push(script("search/" + p + "/" + b + ".js")); });
    }
    Promise.all(loads).then(function () {
      if (my !== seq) return;
      var hits = [];
      for (var p = 0; p < index.partitions; p++) {
        match(p, terms).forEach(function (score, d) {
          var doc = parts[p][d];
          if (doc) hits.push({ slug: doc[0], year: doc[1], k: doc[2], score: score });
        });
      }
      hits.sort(function (a, b) {
        return b.score - a.score || b.year - a.year || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : a.k - b.k);
      });
      return more(my, words, hits, { next: 0, shown: 0, dropped: 0, pages: 1 });
    }).catch(function () {
      if (my === seq) status.textContent = "搜索索引无法读取，请重新生成网站。";
    });
  }

  if (index) partitions();
  var q = new URLSearchParams(window.location.search).get("q") || "";
  input.value = q;
  run(q);
  input.addEventListener("input", function () { run(input.value); });
})();
