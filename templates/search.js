// Offline full-text search over the site's documents, loading only what a
// query needs. search/index.js (the manifest, window.NIANBAO_INDEX) lists
// the offices by partition; every character and every pair of adjacent
// characters is a key, and a key's postings are in
// search/<partition>/<bucket>.js; an office-year's texts (for snippets, and
// to check a term longer than two characters) in <office>/<year>/search.js,
// loaded for the results shown, each shown as soon as it is in. All are
// scripts that call the functions below, so this works from a web server
// and from disk alike. Chinese needs no word splitting: a term matches
// where its text occurs.
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

  // Each partition's documents in order: the year, the office's place by
  // name and the document's place among that office-year's; the offices'
  // names by place; the ranges of years and places, to rank by one number.
  var slugs = [], years = { min: Infinity, max: -Infinity }, kinds = 1;
  function partitions() {
    slugs = index.offices.map(function (o) { return o[0]; }).sort();
    var place = {};
    slugs.forEach(function (s, i) { place[s] = i; });
    var lists = [];
    for (var p = 0; p < index.partitions; p++) lists.push([[], [], []]);
    index.offices.forEach(function (o) {
      var ys = o[2], l = lists[o[1]];
      for (var k = 0; k < ys.length; k++) {
        var nth = 0;
        while (nth < k && ys[k - nth - 1] === ys[k]) nth++;
        l[0].push(ys[k]);
        l[1].push(place[o[0]]);
        l[2].push(nth);
        years.min = Math.min(years.min, ys[k]);
        years.max = Math.max(years.max, ys[k]);
        kinds = Math.max(kinds, nth + 1);
      }
    });
    parts = lists.map(function (l) { return l.map(function (a) { return Int32Array.from(a); }); });
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
  var VALUE = new Int8Array(128).fill(-1);
  for (var v = 0; v < 64; v++) VALUE[DIGITS.charCodeAt(v)] = v;

  // Postings: per document, its count doubled (plus one if a gap follows)
  // and the gap from the last document less one, in base-32 digits, low
  // first, all but the last marked. As [documents, counts], in order.
  function postings(s) {
    var docs = new Int32Array(s.length), counts = new Int32Array(s.length);
    var n = 0, doc = 0, i = 0;
    function number() {
      var v = 0, mult = 1, d;
      while (i < s.length) {
        d = VALUE[s.charCodeAt(i++)];
        if (d < 32) return v + d * mult;
        v += (d - 32) * mult;
        mult *= 32;
      }
      return v;
    }
    while (i < s.length) {
      var head = number();
      if (head % 2 === 1) doc += number() + 1;
      docs[n] = doc++;
      counts[n++] = (head - head % 2) / 2;
    }
    return [docs.subarray(0, n), counts.subarray(0, n)];
  }

  // The documents in both (sorted) lists, each with both counts combined:
  // the smaller (keys of a term) or the sum (terms).
  function both(a, b, add) {
    var len = Math.min(a[0].length, b[0].length);
    var docs = new Int32Array(len), counts = new Int32Array(len), n = 0, i = 0, j = 0;
    while (i < a[0].length && j < b[0].length) {
      if (a[0][i] < b[0][j]) i++;
      else if (a[0][i] > b[0][j]) j++;
      else {
        docs[n] = a[0][i];
        counts[n++] = add ? a[1][i++] + b[1][j++] : Math.min(a[1][i++], b[1][j++]);
      }
    }
    return [docs.subarray(0, n), counts.subarray(0, n)];
  }

  // Documents of partition p with every key of every term; the score adds
  // up each term's rarest key count.
  function match(p, terms) {
    var scores = null;
    for (var t = 0; t < terms.length; t++) {
      var term = null;
      for (var k = 0; k < terms[t].length; k++) {
        var s = shards[p + "/" + (fnv(terms[t][k]) % index.buckets)];
        var m = postings((s && s[terms[t][k].join("")]) || "");
        term = term === null ? m : both(term, m, false);
      }
      scores = scores === null ? term : both(scores, term, true);
      if (scores[0].length === 0) break;
    }
    return scores || [new Int32Array(0), new Int32Array(0)];
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

  // Every match, best first: the higher score, then the newer year, then
  // the office by name, then the document's place in its office-year. Each
  // is one number (a mixed-radix composite of those four), so that sorting
  // is numeric; `at(i)` gives the i-th back.
  function ranked(terms) {
    var found = [], top = 0, total = 0;
    for (var p = 0; p < index.partitions; p++) {
      var m = match(p, terms);
      found.push(m);
      total += m[0].length;
      for (var i = 0; i < m[1].length; i++) top = Math.max(top, m[1][i]);
    }
    var span = years.max - years.min + 1, offices = slugs.length;
    var keys = new Float64Array(total), n = 0;
    found.forEach(function (m, p) {
      var part = parts[p];
      for (var i = 0; i < m[0].length; i++) {
        var d = m[0][i];
        if (d >= part[0].length) continue;
        keys[n++] = (((top - m[1][i]) * span + (years.max - part[0][d])) * offices + part[1][d]) * kinds + part[2][d];
      }
    });
    keys = keys.subarray(0, n).sort();
    return {
      length: n,
      at: function (i) {
        var key = keys[i], k = key % kinds;
        key = (key - k) / kinds;
        var place = key % offices;
        key = (key - place) / offices;
        return { slug: slugs[place], year: years.max - (key % span), k: k };
      },
    };
  }

  function textFile(h) { return encodeURIComponent(h.slug) + "/" + h.year + "/search.js"; }

  // Show the next page of hits, each as soon as its text and those of the
  // hits before it are in: each term checked in the text itself (pairs
  // can occur apart), the failures left out.
  function more(my, words, hits, state) {
    var page = [];
    while (page.length < PAGE && state.next < hits.length) page.push(hits.at(state.next++));
    var loads = page.map(function (h) { return script(textFile(h)); });
    loads.forEach(function (l) { l.catch(function () {}); });
    var shown = Promise.resolve();
    page.forEach(function (h, i) {
      shown = shown.then(function () { return loads[i]; }).then(function () {
        if (my !== seq) return;
        var d = (texts[h.slug + "/" + h.year] || [])[h.k];
        var hay = d ? lower(d.title + " " + d.text) : "";
        if (!d || words.some(function (w) { return hay.indexOf(w) === -1; })) { state.dropped++; return; }
        list.appendChild(item(d, words[0]));
        state.shown++;
      });
    });
    return shown.then(function () {
      if (my !== seq) return;
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
      return more(my, words, ranked(terms), { next: 0, shown: 0, dropped: 0, pages: 1 });
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
