// 考核评分表：按次扣分、加分封顶、否决项限制等次，实时合计；可打印、保存为 JSON 或 CSV、再载入。
// The arithmetic repeats generators/model/scoring.py (score); a browser test compares the two.
// Nothing is sent anywhere: saving makes a file on the reader's own device.
(function () {
  "use strict";

  function clip(value, low, high) { return Math.max(low, Math.min(high, value)); }
  function round2(value) { return Math.round((value + 1e-9) * 100) / 100; }

  function lineScore(points, perInstance, counts, given) {
    if (given !== null) { return clip(given, 0, points); }
    var lost = 0;
    for (var i = 0; i < perInstance.length && i < counts.length; i++) { lost += perInstance[i] * Math.max(0, counts[i]); }
    return clip(points - lost, 0, points);
  }

  function gradeOf(data, total) {
    for (var i = 0; i < data.grades.length; i++) {
      if (total >= data.grades[i].min) { return data.grades[i].name; }
    }
    return data.grades.length ? data.grades[data.grades.length - 1].name : null;
  }

  // sheet: {lines: {id: {score, counts}}, bonus: {id: x}, veto: [id]} → as score() in Python
  function score(data, sheet) {
    var lines = {}, base = 0, rawBonus = 0;
    data.lines.forEach(function (line) {
      var entry = (sheet.lines || {})[line.id] || {};
      var given = entry.score === undefined || entry.score === null || entry.score === "" ? null : parseFloat(entry.score);
      lines[line.id] = round2(lineScore(line.points, line.deductions, entry.counts || [], given));
      base += lines[line.id];
    });
    data.bonus.forEach(function (item) {
      var value = parseFloat((sheet.bonus || {})[item.id] || 0) || 0;
      rawBonus += clip(value, 0, item.points);
    });
    var bonus = round2(Math.min(rawBonus, data.bonus_cap));
    base = round2(base);
    var total = round2(base + bonus);
    var grade = gradeOf(data, total), finalGrade = grade;
    var names = data.grades.map(function (g) { return g.name; });
    var vetoes = [];
    data.veto.forEach(function (veto) {
      if ((sheet.veto || []).indexOf(veto.id) < 0) { return; }
      vetoes.push(veto.id);
      if (names.length && (finalGrade === null || names.indexOf(finalGrade) < names.indexOf(veto.caps))) { finalGrade = veto.caps; }
    });
    return { lines: lines, base: base, bonus: bonus, total: total, grade: grade, final_grade: finalGrade, vetoes: vetoes };
  }

  function numberInput(name, max, step, label) {
    var input = document.createElement("input");
    input.type = "number";
    input.name = name;
    input.min = "0";
    if (max !== null) { input.max = String(max); }
    input.step = String(step);
    input.setAttribute("inputmode", "decimal");
    input.setAttribute("aria-label", label);
    return input;
  }

  function setup(root) {
    var holder = root.querySelector("#hb-sheet-data");
    var table = root.querySelector("table.hb-score-sheet");
    if (!holder || !table || table.getAttribute("data-ready")) { return; }
    table.setAttribute("data-ready", "1");
    var data = JSON.parse(holder.textContent);
    var tools = root.querySelector(".hb-sheet-tools");
    tools.hidden = false;
    var byLine = {};
    data.lines.forEach(function (line) { byLine[line.id] = line; });

    Array.prototype.forEach.call(root.querySelectorAll(".hb-blank[data-field]"), function (span) {
      var input = document.createElement("input");
      input.type = "text";
      input.name = span.getAttribute("data-field");
      input.setAttribute("aria-label", span.previousSibling ? span.previousSibling.textContent.replace(/[：\s]/g, "") : input.name);
      span.textContent = "";
      span.appendChild(input);
    });
    Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
      var line = byLine[tr.getAttribute("data-line")];
      Array.prototype.forEach.call(tr.querySelectorAll(".hb-deduction"), function (span) {
        var index = +span.getAttribute("data-index");
        span.textContent = span.textContent.replace(/×\s*＿次$/, "× ");
        var input = numberInput("count-" + line.id + "-" + index, null, 1, line.title + "：" + span.textContent + "次数");
        input.className = "hb-count";
        input.setAttribute("data-index", String(index));
        span.appendChild(input);
        span.appendChild(document.createTextNode(" 次"));
        input.addEventListener("input", function () {
          var scoreInput = tr.querySelector("input.hb-line-score");
          scoreInput.value = String(lineScore(line.points, line.deductions, counts(tr), null));
          update();
        });
      });
      var scoreInput = numberInput("score-" + line.id, line.points, 0.5, line.title + "：得分");
      scoreInput.className = "hb-line-score";
      scoreInput.value = String(line.points);
      tr.querySelector(".hb-score").appendChild(scoreInput);
      var note = document.createElement("input");
      note.type = "text";
      note.name = "note-" + line.id;
      note.setAttribute("aria-label", line.title + "：扣分说明");
      tr.querySelector(".hb-note").appendChild(note);
    });
    Array.prototype.forEach.call(root.querySelectorAll("tr[data-bonus]"), function (tr) {
      var item = data.bonus.filter(function (b) { return b.id === tr.getAttribute("data-bonus"); })[0];
      var input = numberInput("bonus-" + item.id, item.points, 0.5, item.title + "：加分");
      tr.querySelector(".hb-score").appendChild(input);
    });
    Array.prototype.forEach.call(root.querySelectorAll("tr[data-veto]"), function (tr) {
      var cell = tr.querySelector(".hb-veto");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = "veto-" + tr.getAttribute("data-veto");
      var label = document.createElement("label");
      label.appendChild(box);
      label.appendChild(document.createTextNode(" 发生"));
      cell.textContent = "";
      cell.appendChild(label);
    });

    function counts(tr) {
      return Array.prototype.map.call(tr.querySelectorAll("input.hb-count"), function (input) { return parseFloat(input.value) || 0; });
    }

    // The sheet as data: the same shape score() reads and the saved JSON file holds.
    function read() {
      var sheet = { rubric: data.title, lines: {}, bonus: {}, veto: [] };
      Array.prototype.forEach.call(root.querySelectorAll(".hb-blank input"), function (input) { sheet[input.name] = input.value; });
      Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
        var id = tr.getAttribute("data-line");
        var value = tr.querySelector("input.hb-line-score").value;
        sheet.lines[id] = { score: value === "" ? null : parseFloat(value), counts: counts(tr), note: tr.querySelector(".hb-note input").value };
      });
      Array.prototype.forEach.call(root.querySelectorAll("tr[data-bonus]"), function (tr) {
        var value = parseFloat(tr.querySelector("input").value);
        if (value > 0) { sheet.bonus[tr.getAttribute("data-bonus")] = value; }
      });
      Array.prototype.forEach.call(root.querySelectorAll("tr[data-veto]"), function (tr) {
        if (tr.querySelector("input").checked) { sheet.veto.push(tr.getAttribute("data-veto")); }
      });
      return sheet;
    }

    function write(sheet) {
      Array.prototype.forEach.call(root.querySelectorAll(".hb-blank input"), function (input) { input.value = sheet[input.name] || ""; });
      Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
        var entry = (sheet.lines || {})[tr.getAttribute("data-line")] || {};
        Array.prototype.forEach.call(tr.querySelectorAll("input.hb-count"), function (input, i) {
          var n = (entry.counts || [])[i];
          input.value = n ? String(n) : "";
        });
        var line = byLine[tr.getAttribute("data-line")];
        tr.querySelector("input.hb-line-score").value = entry.score === undefined || entry.score === null ? String(line.points) : String(entry.score);
        tr.querySelector(".hb-note input").value = entry.note || "";
      });
      Array.prototype.forEach.call(root.querySelectorAll("tr[data-bonus]"), function (tr) {
        var value = (sheet.bonus || {})[tr.getAttribute("data-bonus")];
        tr.querySelector("input").value = value ? String(value) : "";
      });
      Array.prototype.forEach.call(root.querySelectorAll("tr[data-veto]"), function (tr) {
        tr.querySelector("input").checked = (sheet.veto || []).indexOf(tr.getAttribute("data-veto")) >= 0;
      });
      update();
    }

    function update() {
      var sheet = read();
      // Bounded inputs: a score above the line's points or below zero is shown as what counts.
      Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
        var input = tr.querySelector("input.hb-line-score");
        var line = byLine[tr.getAttribute("data-line")];
        if (input.value !== "" && (parseFloat(input.value) > line.points || parseFloat(input.value) < 0)) {
          input.value = String(clip(parseFloat(input.value), 0, line.points));
        }
      });
      var result = score(data, sheet);
      root.querySelector(".hb-base").textContent = result.base;
      var bonusCell = root.querySelector(".hb-bonus-total");
      if (bonusCell) { bonusCell.textContent = result.bonus; }
      root.querySelector(".hb-total").textContent = result.total;
      var grade = result.final_grade || "";
      if (result.final_grade !== result.grade) { grade += "（得分对应" + result.grade + "，因否决项限定）"; }
      root.querySelector(".hb-grade").textContent = grade;
      return result;
    }

    function csv(sheet, result) {
      function cell(value) {
        var text = value === null || value === undefined ? "" : String(value);
        return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
      }
      var rows = [["类别", "标识", "名称", "分值", "扣分次数", "得分", "说明"]];
      rows.push(["表头", "branch", "被考核党支部", "", "", "", sheet.branch || ""]);
      rows.push(["表头", "period", "考核期间", "", "", "", sheet.period || ""]);
      rows.push(["表头", "assessor", "考核人", "", "", "", sheet.assessor || ""]);
      data.lines.forEach(function (line) {
        var entry = sheet.lines[line.id];
        rows.push(["子项", line.id, line.title, line.points, entry.counts.join(" "), entry.score, entry.note]);
      });
      data.bonus.forEach(function (item) { rows.push(["加分项", item.id, item.title, item.points, "", sheet.bonus[item.id] || "", ""]); });
      data.veto.forEach(function (veto) { rows.push(["否决项", veto.id, veto.title, "", "", sheet.veto.indexOf(veto.id) >= 0 ? "是" : "否", ""]); });
      rows.push(["合计", "total", "最终得分", "", "", result.total, result.final_grade]);
      // A byte-order mark, so that Excel and WPS read the Chinese as UTF-8.
      return "\ufeff" + rows.map(function (row) { return row.map(cell).join(","); }).join("\r\n") + "\r\n";
    }

    function parseCsv(text) {
      var rows = [], row = [], field = "", quoted = false;
      text = text.replace(/^\ufeff/, "");
      for (var i = 0; i < text.length; i++) {
        var ch = text[i];
        if (quoted) {
          if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
          else if (ch === '"') { quoted = false; }
          else { field += ch; }
        } else if (ch === '"') { quoted = true; }
        else if (ch === ",") { row.push(field); field = ""; }
        else if (ch === "\n" || ch === "\r") {
          if (ch === "\r" && text[i + 1] === "\n") { i++; }
          row.push(field); rows.push(row); row = []; field = "";
        } else { field += ch; }
      }
      if (field !== "" || row.length) { row.push(field); rows.push(row); }
      var sheet = { lines: {}, bonus: {}, veto: [] };
      rows.slice(1).forEach(function (r) {
        if (r[0] === "表头") { sheet[r[1]] = r[6]; }
        if (r[0] === "子项") {
          sheet.lines[r[1]] = { counts: r[4] ? r[4].split(" ").map(Number) : [], score: r[5] === "" ? null : parseFloat(r[5]), note: r[6] };
        }
        if (r[0] === "加分项" && r[5] !== "") { sheet.bonus[r[1]] = parseFloat(r[5]); }
        if (r[0] === "否决项" && r[5] === "是") { sheet.veto.push(r[1]); }
      });
      return sheet;
    }

    function download(name, type, text) {
      var blob = new Blob([text], { type: type });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = name;
      document.body.appendChild(link);
      link.click();
      document.body.removeChild(link);
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    }

    function fileName(sheet, ext) {
      var parts = ["考核评分表", sheet.branch, sheet.period].filter(function (x) { return x; });
      return parts.join("-").replace(/[\\/:*?"<>|]/g, "_") + "." + ext;
    }

    table.addEventListener("input", function (event) { if (!event.target.classList.contains("hb-count")) { update(); } });
    root.addEventListener("change", function (event) { if (event.target.type === "checkbox" || event.target.closest("table")) { update(); } });
    tools.querySelector(".hb-print").addEventListener("click", function () { window.print(); });
    tools.querySelector(".hb-save-json").addEventListener("click", function () {
      var sheet = read(), result = update();
      sheet.total = result.total;
      sheet.grade = result.final_grade;
      download(fileName(sheet, "json"), "application/json", JSON.stringify(sheet, null, 2));
    });
    tools.querySelector(".hb-save-csv").addEventListener("click", function () {
      var sheet = read();
      download(fileName(sheet, "csv"), "text/csv;charset=utf-8", csv(sheet, update()));
    });
    tools.querySelector(".hb-load input").addEventListener("change", function () {
      var file = this.files[0], message = tools.querySelector(".hb-load-message");
      if (!file) { return; }
      var reader = new FileReader();
      reader.onload = function () {
        try {
          var text = String(reader.result);
          write(/\.csv$/i.test(file.name) ? parseCsv(text) : JSON.parse(text));
          message.textContent = "已载入：" + file.name;
        } catch (e) {
          message.textContent = "无法读取这个文件：请选择从本页保存的 JSON 或 CSV 文件。";
        }
      };
      reader.readAsText(file, "utf-8");
    });
    Array.prototype.forEach.call(root.querySelectorAll("tr[data-bonus] input, .hb-veto input"), function (input) {
      input.addEventListener("input", update);
      input.addEventListener("change", update);
    });
    update();
  }

  window.hbScoreSheet = { score: score };
  if (typeof document$ !== "undefined") { document$.subscribe(function () { setup(document); }); }
  else if (document.readyState !== "loading") { setup(document); }
  else { document.addEventListener("DOMContentLoaded", function () { setup(document); }); }
})();
