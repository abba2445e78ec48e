// 发展党员等流程的日期计算：每一步最早何时可办、最迟何时办结、今天是否逾期。
// The arithmetic repeats generators/model/timelimits.py (add_span, timeline); a browser test
// holds the two to the same dates. Plain ES2017, no outside requests; without scripts the
// table still lists every step with its time limit in words.
(function () {
  "use strict";

  function parse(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : null;
  }
  function format(time) {
    return time === null ? "" : new Date(time).toISOString().slice(0, 10);
  }
  function daysIn(year, month) {  // month 0-11
    return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  }
  var DAY = 86400000;

  function addSpan(time, span) {
    var d = new Date(time), amount = span.amount;
    if (span.unit === "month" || span.unit === "year") {
      var months = Math.round(amount * (span.unit === "year" ? 12 : 1));
      var index = d.getUTCMonth() + months;
      var year = d.getUTCFullYear() + Math.floor(index / 12), month = ((index % 12) + 12) % 12;
      return Date.UTC(year, month, Math.min(d.getUTCDate(), daysIn(year, month)));
    }
    if (span.unit === "workday") {
      var left = Math.floor(amount), t = time;
      while (left > 0) {
        t += DAY;
        var wd = new Date(t).getUTCDay();
        if (wd !== 0 && wd !== 6) { left -= 1; }
      }
      return t;
    }
    var days = { day: amount, week: amount * 7, hour: Math.ceil(amount / 24), lesson: Math.ceil(amount / 24) }[span.unit];
    return time + Math.floor(days) * DAY;
  }

  // steps: [{id, from, limit}], reached: {id: time}, today: time → rows as in timeline()
  function timeline(steps, reached, today) {
    var dates = {}, rows = [];
    steps.forEach(function (step) {
      var base = step.from && dates.hasOwnProperty(step.from) ? dates[step.from] : null;
      var limit = step.limit, earliest = null, deadline = null, extended = null;
      if (base !== null) {
        earliest = base;
        var kind = limit ? limit.kind : null;
        if ((kind === "after" || kind === "period") && limit.minimum) { earliest = addSpan(base, limit.minimum); }
        if ((kind === "after" || kind === "period") && limit.maximum) { deadline = addSpan(base, limit.maximum); }
        if (kind === "after" && limit.extended) { extended = addSpan(base, limit.extended); }
        if (kind === "at") { deadline = base; }
      }
      var done = reached.hasOwnProperty(step.id) ? reached[step.id] : null;
      dates[step.id] = done !== null ? done : (earliest !== null ? earliest : today);
      var status;
      if (done !== null) {
        status = deadline !== null && done > deadline ? "done-late" : (earliest !== null && done < earliest ? "early" : "done");
      } else if (deadline !== null && today > deadline) {
        status = "overdue";
      } else if (deadline !== null) {
        status = "due";
      } else {
        status = "open";
      }
      rows.push({ step: step.id, base: base, earliest: earliest, deadline: deadline, extended: extended, done: done, status: status });
    });
    return rows;
  }

  var LABELS = { done: "已完成", "done-late": "已完成（超过期限）", early: "已完成（早于最早日期）", overdue: "已逾期", due: "未到期", open: "" };

  function setup(root) {
    var holder = root.querySelector("#hb-timeline-data");
    var table = root.querySelector("table.hb-timeline");
    if (!holder || !table || table.getAttribute("data-ready")) { return; }
    table.setAttribute("data-ready", "1");
    var data = JSON.parse(holder.textContent);
    var form = root.querySelector(".hb-timeline-form");
    form.hidden = false;
    var todayInput = form.querySelector("input[name=today]");
    todayInput.value = format(Date.UTC(new Date().getFullYear(), new Date().getMonth(), new Date().getDate()));
    var rows = {};
    Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
      var id = tr.getAttribute("data-step");
      var input = document.createElement("input");
      input.type = "date";
      input.name = "done-" + id;
      input.setAttribute("aria-label", "完成日期：" + tr.cells[0].textContent);
      tr.querySelector(".hb-done").appendChild(input);
      rows[id] = tr;
      input.addEventListener("change", update);
    });
    todayInput.addEventListener("change", update);
    form.querySelector("input[name=start]").addEventListener("change", function () {
      rows[data.steps[0].id].querySelector("input").value = this.value;
      update();
    });
    form.querySelector("button.hb-copy").addEventListener("click", function () { copyTable(table); });
    form.querySelector("button.hb-print").addEventListener("click", function () { window.print(); });

    function update() {
      var reached = {};
      Object.keys(rows).forEach(function (id) {
        var t = parse(rows[id].querySelector("input").value);
        if (t !== null) { reached[id] = t; }
      });
      var today = parse(todayInput.value);
      if (today === null || !reached.hasOwnProperty(data.steps[0].id)) {
        Object.keys(rows).forEach(function (id) { fill(rows[id], null); });
        return;
      }
      timeline(data.steps, reached, today).forEach(function (row) { fill(rows[row.step], row); });
    }
    function fill(tr, row) {
      tr.querySelector(".hb-earliest").textContent = row ? format(row.earliest) : "";
      var deadline = row ? format(row.deadline) : "";
      if (row && row.extended !== null) { deadline += "（特殊情况至 " + format(row.extended) + "）"; }
      tr.querySelector(".hb-deadline").textContent = deadline;
      tr.querySelector(".hb-status").textContent = row ? LABELS[row.status] : "";
      tr.className = row ? "hb-status-" + row.status : "";
    }
  }

  function copyTable(table) {
    var lines = Array.prototype.map.call(table.rows, function (tr) {
      return Array.prototype.map.call(tr.cells, function (cell) {
        var input = cell.querySelector("input");
        return (input ? input.value : cell.textContent).replace(/\s+/g, " ").trim();
      }).join("\t");
    });
    var text = lines.join("\n");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text);
      return;
    }
    var area = document.createElement("textarea");  // older in-app browsers have no clipboard API
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* the text stays selected for a manual copy */ }
    document.body.removeChild(area);
  }

  window.hbTimeline = { addSpan: addSpan, timeline: timeline, parse: parse, format: format };
  if (typeof document$ !== "undefined") { document$.subscribe(function () { setup(document); }); }
  else if (document.readyState !== "loading") { setup(document); }
  else { document.addEventListener("DOMContentLoaded", function () { setup(document); }); }
})();
