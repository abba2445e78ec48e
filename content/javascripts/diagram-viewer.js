// Full-screen viewer for the diagrams: tap or click a diagram (or its 全屏查看 button) to open it
// over the page; pinch or use the wheel to zoom, drag to pan; keys: + and - zoom, arrows pan,
// 0 resets, Esc closes. In flowcharts the lane headers and phase titles stay in sight while
// panning. Plain ES2017, written here because the site must work with no outside access;
// without it the diagrams are still on the page.
(function () {
  "use strict";
  var MIN = 0.2, MAX = 8;

  function titleOf(g) {
    var t = g.querySelector("title");
    return t ? t.textContent : "";
  }

  function open(figure) {
    var source = Array.prototype.filter.call(figure.querySelectorAll("svg.hb-diagram"), function (svg) {
      return !svg.closest(".hb-narrow");
    })[0] || figure.querySelector("svg.hb-diagram");
    if (!source) { return; }
    var before = document.activeElement;
    var caption = figure.querySelector("figcaption");
    var viewer = document.createElement("div");
    viewer.className = "hb-viewer";
    viewer.setAttribute("role", "dialog");
    viewer.setAttribute("aria-modal", "true");
    viewer.setAttribute("aria-label", (caption ? caption.textContent : "图") + "（全屏）");
    var bar = document.createElement("div");
    bar.className = "hb-viewer__bar";
    var stage = document.createElement("div");
    stage.className = "hb-viewer__stage";
    stage.tabIndex = 0;
    stage.setAttribute("aria-label", "图：拖动或用方向键移动，双指或滚轮缩放");
    var svg = source.cloneNode(true);
    svg.removeAttribute("id");
    svg.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    svg.removeAttribute("aria-labelledby");
    svg.setAttribute("aria-label", caption ? caption.textContent : "图");
    svg.classList.add("hb-viewer__svg");
    stage.appendChild(svg);
    viewer.appendChild(bar);
    viewer.appendChild(stage);

    var state = { s: 1, x: 0, y: 0 };
    var sticky = [];  // [group, "x" | "y", offset at scale 1]

    function button(label, text, action) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "hb-viewer__button";
      b.setAttribute("aria-label", label);
      b.title = label;
      b.textContent = text;
      b.addEventListener("click", action);
      bar.appendChild(b);
      return b;
    }

    function apply() {
      svg.style.transform = "translate(" + state.x + "px," + state.y + "px) scale(" + state.s + ")";
      var ctm = svg.getScreenCTM();
      var top = stage.getBoundingClientRect();
      sticky.forEach(function (entry) {
        var g = entry[0];
        g.removeAttribute("transform");
        if (!ctm) { return; }
        var box = g.getBoundingClientRect();
        var shift = entry[1] === "y" ? Math.max(0, top.top - box.top) / ctm.d : Math.max(0, top.left - box.left) / ctm.a;
        if (shift > 0) {
          g.setAttribute("transform", entry[1] === "y" ? "translate(0," + shift + ")" : "translate(" + shift + ",0)");
        }
      });
    }

    function zoom(factor, cx, cy) {
      var rect = stage.getBoundingClientRect();
      if (cx === undefined) { cx = rect.width / 2; cy = rect.height / 2; }
      var s = Math.min(MAX, Math.max(MIN, state.s * factor));
      state.x = cx - (cx - state.x) * s / state.s;
      state.y = cy - (cy - state.y) * s / state.s;
      state.s = s;
      apply();
    }

    function fit() {
      var rect = stage.getBoundingClientRect();
      svg.style.transform = "none";
      var w = svg.getBoundingClientRect().width || 1, h = svg.getBoundingClientRect().height || 1;
      // Wide charts open at the width of the screen, but never smaller than readable.
      state.s = Math.max(Math.min(rect.width / w, 1), Math.min(rect.height / h, 1), 0.5);
      state.x = Math.max(0, (rect.width - w * state.s) / 2);
      state.y = 0;
      apply();
    }

    function close() {
      document.removeEventListener("keydown", keys, true);
      viewer.remove();
      document.documentElement.classList.remove("hb-viewer-open");
      if (before && before.focus) { before.focus(); }
    }

    function keys(ev) {
      var step = 60;
      switch (ev.key) {
        case "Escape": close(); break;
        case "+": case "=": zoom(1.25); break;
        case "-": case "_": zoom(0.8); break;
        case "0": fit(); break;
        case "ArrowLeft": state.x += step; apply(); break;
        case "ArrowRight": state.x -= step; apply(); break;
        case "ArrowUp": state.y += step; apply(); break;
        case "ArrowDown": state.y -= step; apply(); break;
        case "Tab": {
          // Keep the focus inside the viewer while it is open.
          var items = Array.prototype.slice.call(viewer.querySelectorAll("button, [tabindex='0']"));
          var i = items.indexOf(document.activeElement);
          var next = ev.shiftKey ? (i <= 0 ? items.length - 1 : i - 1) : (i + 1) % items.length;
          items[next].focus();
          break;
        }
        default: return;
      }
      ev.preventDefault();
      ev.stopPropagation();
    }

    button("放大", "+", function () { zoom(1.25); });
    button("缩小", "−", function () { zoom(0.8); });
    button("复位", "⟲", fit);
    var closer = button("关闭", "×", close);
    closer.classList.add("hb-viewer__close");

    // Pointers: one drags, two pinch.
    var pointers = {};
    var pinch = null;
    stage.addEventListener("pointerdown", function (ev) {
      pointers[ev.pointerId] = { x: ev.clientX, y: ev.clientY };
      stage.setPointerCapture(ev.pointerId);
    });
    stage.addEventListener("pointermove", function (ev) {
      var last = pointers[ev.pointerId];
      if (!last) { return; }
      var ids = Object.keys(pointers);
      if (ids.length === 1) {
        state.x += ev.clientX - last.x;
        state.y += ev.clientY - last.y;
        pointers[ev.pointerId] = { x: ev.clientX, y: ev.clientY };
        apply();
        return;
      }
      pointers[ev.pointerId] = { x: ev.clientX, y: ev.clientY };
      var a = pointers[ids[0]], b = pointers[ids[1]];
      var distance = Math.hypot(a.x - b.x, a.y - b.y);
      var rect = stage.getBoundingClientRect();
      if (pinch && pinch > 0) { zoom(distance / pinch, (a.x + b.x) / 2 - rect.left, (a.y + b.y) / 2 - rect.top); }
      pinch = distance;
    });
    function up(ev) { delete pointers[ev.pointerId]; pinch = null; }
    stage.addEventListener("pointerup", up);
    stage.addEventListener("pointercancel", up);
    stage.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var rect = stage.getBoundingClientRect();
      zoom(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - rect.left, ev.clientY - rect.top);
    }, { passive: false });

    document.body.appendChild(viewer);
    document.documentElement.classList.add("hb-viewer-open");
    svg.querySelectorAll("g.node").forEach(function (g) {
      var name = titleOf(g);
      if (name.indexOf("lane-") === 0) { sticky.push([g, "y"]); }
      if (name.indexOf("phase-") === 0) { sticky.push([g, "x"]); }
    });
    document.addEventListener("keydown", keys, true);
    fit();
    closer.focus();
  }

  function setup(root) {
    root.querySelectorAll("figure.hb-figure").forEach(function (figure) {
      if (figure.querySelector(".hb-viewer__open")) { return; }
      var b = document.createElement("button");
      b.type = "button";
      b.className = "hb-viewer__open";
      b.textContent = "全屏查看";
      b.addEventListener("click", function () { open(figure); });
      var caption = figure.querySelector("figcaption");
      figure.insertBefore(b, caption);
      figure.querySelectorAll("svg.hb-diagram").forEach(function (svg) {
        svg.addEventListener("click", function (ev) {
          if (ev.target.closest && ev.target.closest("a")) { return; }  // links in a diagram still open their page
          open(figure);
        });
      });
    });
  }

  if (typeof document$ !== "undefined") { document$.subscribe(function () { setup(document); }); }
  else { document.addEventListener("DOMContentLoaded", function () { setup(document); }); }
})();
