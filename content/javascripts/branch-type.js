// The branch-type switch: "我的支部类型" shows only what applies to one type of branch on month
// pages, checklists and handbook tables, and marks what that type must stress (重点). The choice
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

  function apply(root, type) {
    var shown = 0, hidden = 0;
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
