/* nianbao: a cited figure opens where it comes from, and the 核对表 sorts
   by any column. Works from file:// and without the search scripts.
   A document's figures are <span data-f="row">: made buttons here, each
   opening a panel built from its row in the page's JSON
   (script#nianbao-figures: {"own": "2017/", "rows": {"row": record}}; a
   record is [formula or "" for a number as the data writes it, [operand,
   …], checks, status class, [published, computed, office's words] or 0,
   year note, note], what is empty at its end left out; an operand is
   [text, label, file:line, cited at] (cited at left out when empty) or,
   for a number as the data writes it, its file:line alone; files of the
   year's own folder are written without it). Without scripts the figures
   are plain text and the 核对表 keeps its order. */
(function () {
  "use strict";
  var data = null, count = 0;
  var STATUS = { ok: "核对通过", src: "数据原值", ack: "原文如此", un: "无法核对" };

  var own = "";

  /* A file of the year's own folder is written without it. */
  function place(at) {
    return at.split("、").map(function (a) {
      return a.indexOf("/") < 0 ? own + a : a;
    }).join("、");
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function line(panel, cls) {
    var l = el("span", cls);
    panel.appendChild(l);
    return l;
  }

  function code(parent, text) {
    parent.appendChild(el("code", "", text));
  }

  function panel(r) {
    var p = el("span", "fp");
    p.id = "fp" + (++count);
    if (r[4]) {
      var a = line(p, "fp-ack");
      a.appendChild(el("b", "", "原文如此"));
      a.appendChild(document.createTextNode("：原文为 " + r[4][0] + "，按数据计算为 " + r[4][1] + "。单位说明：" + r[4][2]));
    }
    line(p, "fp-f").textContent = (r[5] ? "（" + r[5] + "）" : "") + (r[0] || "录自数据");
    if (r[6]) line(p, "fp-n").textContent = r[6];
    r[1].forEach(function (o) {
      if (typeof o === "string") o = ["", "", o];
      var l = line(p, "fp-o");
      if (o[0]) l.appendChild(document.createTextNode(o[0] + "　" + o[1] + "　"));
      else l.appendChild(document.createTextNode("数据："));
      if (o[2]) code(l, place(o[2]));
      if (o[3]) { l.appendChild(document.createTextNode("　文中：")); code(l, place(o[3])); }
    });
    var c = line(p, "fp-c");
    c.appendChild(document.createTextNode("核对：" + (r[2] || "无") + "　"));
    c.appendChild(el("b", "st-" + r[3], STATUS[r[3]]));
    return p;
  }

  /* Where a figure's panel goes: after the punctuation that follows it,
     so that no line begins with a comma or a full stop. */
  function place_after(b) {
    var n = b.nextSibling;
    if (n && n.nodeType === 3) {
      var m = n.data.match(/^[，。；：、！？）》」』”’]+/);
      if (m) {
        if (m[0].length < n.data.length) n.splitText(m[0].length);
        return n.nextSibling;
      }
    }
    return b.nextSibling;
  }

  function toggle(b) {
    var open = b.getAttribute("aria-expanded") !== "true";
    var p = document.getElementById(b.getAttribute("aria-controls") || "");
    if (!p) {
      var r = data && data[b.getAttribute("data-f")];
      if (!r) return;
      p = panel(r);
      b.parentNode.insertBefore(p, place_after(b));
      b.setAttribute("aria-controls", p.id);
    }
    p.hidden = !open;
    b.setAttribute("aria-expanded", open ? "true" : "false");
  }

  /* The figures become buttons; the year's data is loaded once. */
  function figures() {
    var spans = document.querySelectorAll("span[data-f]");
    if (!spans.length) return;
    Array.prototype.forEach.call(spans, function (s) {
      var b = el("button", "fig");
      b.type = "button";
      b.setAttribute("data-f", s.getAttribute("data-f"));
      b.setAttribute("aria-expanded", "false");
      while (s.firstChild) b.appendChild(s.firstChild);
      s.parentNode.replaceChild(b, s);
    });
    var json = document.getElementById("nianbao-figures");
    if (json) {
      try {
        var d = JSON.parse(json.textContent);
        own = d.own;
        data = d.rows;
      } catch (err) { data = null; }
    }
    document.addEventListener("click", function (e) {
      var b = e.target.closest ? e.target.closest("button.fig") : null;
      if (b) toggle(b);
    });
    /* Escape closes the panel of the figure in focus and keeps the focus. */
    document.addEventListener("keydown", function (e) {
      var a = document.activeElement;
      if (e.key === "Escape" && a && a.matches && a.matches("button.fig[aria-expanded='true']")) toggle(a);
    });
  }

  /* The 核对表: each heading becomes a button that sorts by its column. */
  function key(cell, numeric) {
    var t = cell.textContent.trim();
    if (!numeric) return t;
    var m = t.match(/-?\d+(\.\d+)?/);
    return m ? parseFloat(m[0]) : -Infinity;
  }

  function sortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, i) {
      var numeric = th.classList.contains("n");
      var b = el("button", "sort", th.textContent);
      b.type = "button";
      th.textContent = "";
      th.appendChild(b);
      th.setAttribute("aria-sort", i === 0 ? "ascending" : "none");
      b.addEventListener("click", function () {
        var up = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (x, y) {
          var a = key(x.cells[i], numeric), c = key(y.cells[i], numeric);
          var d = numeric ? a - c : String(a).localeCompare(String(c), "zh-CN");
          return up ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  function ready() {
    figures();
    Array.prototype.forEach.call(document.querySelectorAll("table.figures"), sortable);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
