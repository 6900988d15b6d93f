/* nianbao: a cited figure opens its provenance (the panel after it), and
   the 核对表 sorts by any column. Works from file:// and without the
   search scripts; without scripts a figure's panel shows while the figure
   has the keyboard focus, and the table stays in document order. */
(function () {
  "use strict";
  document.documentElement.className += " js";

  function panelOf(button) {
    var p = button.nextElementSibling;
    return p && p.classList.contains("fp") ? p : null;
  }

  function toggle(button, open) {
    var p = panelOf(button);
    if (!p) return;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    p.hidden = !open;
  }

  document.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("button.fig") : null;
    if (b) toggle(b, b.getAttribute("aria-expanded") !== "true");
  });

  /* Escape closes the panel of the figure in focus and keeps the focus. */
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var a = document.activeElement;
    if (a && a.matches && a.matches("button.fig[aria-expanded='true']")) toggle(a, false);
  });

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
      var b = document.createElement("button");
      b.type = "button";
      b.className = "sort";
      b.textContent = th.textContent;
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
    Array.prototype.forEach.call(document.querySelectorAll("table.figures"), sortable);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
