// The branch-type switch: "我的支部类型" shows only what applies to one type of branch on month
// pages, checklists, handbook tables and the matrix of items × types, and marks what that type must
// stress (重点). The choice
// is remembered in the browser. Without this script the switch is a row of plain links to each
// type's own page, which lists its work.
(function () {
  "use strict";
  var KEY = "hb-branch-type";
  var EMPHASIS = { required: "必做", emphasised: "重点", optional: "可选" };

  function chosen() {
    try { return localStorage.getItem(KEY) || ""; } catch (e) { return ""; }
  }

  function remember(type) {
    try {
      if (type) { localStorage.setItem(KEY, type); } else { localStorage.removeItem(KEY); }
    } catch (e) { /* private browsing: the choice lasts for this page only */ }
  }

  function levels(mark) {
    var found = {};
    (mark.getAttribute("data-hb-types") || "").split(" ").forEach(function (pair) {
      var parts = pair.split(":");
      if (parts[0]) { found[parts[0]] = parts[1]; }
    });
    return found;
  }

  // The matrix of items × types (an SVG drawn by Graphviz) names each cell hbm.<item>.<type>.<emphasis>:
  // the rows of items that do not apply to the chosen type are dimmed and its column is outlined.
  function applyToMatrices(root, type) {
    var counts = { shown: 0, hidden: 0 };
    root.querySelectorAll("svg.hb-diagram").forEach(function (svg) {
      var cells = svg.querySelectorAll("g[id^='a_hbm.']");
      if (!cells.length) { return; }
      var level = {};
      cells.forEach(function (g) {
        var parts = g.id.slice(2).split(".");
        if (parts[2] === type) { level[parts[1]] = parts[3]; }
      });
      cells.forEach(function (g) {
        var parts = g.id.slice(2).split(".");
        var applies = !type || (level[parts[1]] && level[parts[1]] !== "none");
        g.style.opacity = applies ? "" : "0.2";
        g.classList.toggle("hb-matrix-chosen", !!type && parts[2] === type);
        if (parts[2] === "_" && type) { counts[applies ? "shown" : "hidden"] += 1; }
      });
    });
    return counts;
  }

  function apply(root, type) {
    var counted = applyToMatrices(root, type);
    var shown = counted.shown, hidden = counted.hidden;
    root.querySelectorAll(".hb-applies").forEach(function (mark) {
      var row = mark.closest("tr") || mark.parentElement;
      var level = levels(mark)[type];
      var show = !type || !!level;
      row.hidden = !show;
      row.classList.toggle("hb-emphasised", !!type && level === "emphasised");
      var tag = row.querySelector(".hb-emphasis-tag");
      if (tag) { tag.remove(); }
      if (type && level && level !== "required") {
        tag = document.createElement("span");
        tag.className = "hb-emphasis-tag hb-badge";
        tag.textContent = EMPHASIS[level] || level;
        mark.parentElement.appendChild(tag);
      }
      if (show) { shown += 1; } else { hidden += 1; }
    });
    root.querySelectorAll(".hb-type-switch").forEach(function (box) {
      box.querySelectorAll("a[data-hb-type]").forEach(function (a) {
        if (a.getAttribute("data-hb-type") === type) { a.setAttribute("aria-current", "true"); }
        else { a.removeAttribute("aria-current"); }
      });
      var status = box.querySelector(".hb-type-status");
      if (!status) {
        status = document.createElement("p");
        status.className = "hb-type-status";
        status.setAttribute("role", "status");
        box.appendChild(status);
      }
      var name = type ? box.querySelector("a[data-hb-type='" + type + "']") : null;
      status.textContent = name ? "只显示适用于" + name.textContent + "党支部的 " + shown + " 项（隐藏 " + hidden + " 项）。" : "";
    });
  }

  function setup(root) {
    var boxes = root.querySelectorAll(".hb-type-switch");
    boxes.forEach(function (box) {
      if (box.getAttribute("data-hb-ready")) { return; }
      box.setAttribute("data-hb-ready", "1");
      box.querySelectorAll("a[data-hb-type]").forEach(function (a) {
        a.addEventListener("click", function (ev) {
          ev.preventDefault();
          var type = a.getAttribute("data-hb-type");
          remember(type);
          apply(document, type);
        });
      });
    });
    // A branch type's own page: following its links (month pages, checklists) means "my type is this one".
    root.querySelectorAll(".hb-hub[data-hb-type]").forEach(function (hub) {
      hub.addEventListener("click", function (ev) {
        if (ev.target.closest && ev.target.closest("a")) { remember(hub.getAttribute("data-hb-type")); }
      });
    });
    if (boxes.length) { apply(root, chosen()); }
  }

  if (typeof document$ !== "undefined") { document$.subscribe(function () { setup(document); }); }
  else { document.addEventListener("DOMContentLoaded", function () { setup(document); }); }
})();
