// 党费计算：按 modules/dues.yml 的分档和比例计算每月应交党费。
// The arithmetic repeats generators/model/dues.py (monthly_dues): amounts in fen as integers,
// rates in hundredths of a per cent, half a fen rounded up; a browser test compares the two.
(function () {
  "use strict";

  function toFen(yuan) {
    return Math.round(yuan * 100 + 1e-7);
  }

  // category: {fixed, deductions, bands: [{up_to, percent}]}; deductions: {id: yuan}
  function monthlyDues(category, pay, deductions) {
    if (category.fixed !== null) {
      return { base_fen: 0, percent: null, band: null, dues_fen: toFen(category.fixed) };
    }
    var base = toFen(pay);
    Object.keys(deductions || {}).forEach(function (id) {
      if (category.deductions.indexOf(id) >= 0) { base -= toFen(deductions[id]); }
    });
    base = Math.max(base, 0);
    for (var i = 0; i < category.bands.length; i++) {
      var band = category.bands[i];
      if (band.up_to === null || base <= toFen(band.up_to)) {
        var hundredths = Math.round(band.percent * 100);
        var product = base * hundredths;
        var whole = Math.floor(product / 10000), rest = product - whole * 10000;
        return { base_fen: base, percent: band.percent, band: i, dues_fen: whole + (rest * 2 >= 10000 ? 1 : 0) };
      }
    }
    throw new Error("the last band has no upper limit");
  }

  function yuan(fen) {
    return (fen / 100).toFixed(2);
  }

  function setup(root) {
    var holder = root.querySelector("#hb-dues-data");
    var form = root.querySelector(".hb-dues-form");
    if (!holder || !form || form.getAttribute("data-ready")) { return; }
    form.setAttribute("data-ready", "1");
    var data = JSON.parse(holder.textContent);
    form.hidden = false;
    var categories = {};
    data.categories.forEach(function (c) { categories[c.id] = c; });

    function update() {
      var category = categories[form.elements.category.value];
      var fixed = category.fixed !== null;
      form.querySelector(".hb-dues-pay").hidden = fixed;
      var shown = 0;
      Array.prototype.forEach.call(form.querySelectorAll("[data-deduction]"), function (label) {
        var used = !fixed && category.deductions.indexOf(label.getAttribute("data-deduction")) >= 0;
        label.hidden = !used;
        if (used) { shown += 1; }
      });
      form.querySelector(".hb-dues-deductions").hidden = shown === 0;
      var out = form.querySelector(".hb-dues-result");
      var basis = root.querySelector('.hb-dues-basis[data-category="' + category.id + '"]');
      var pay = parseFloat(form.elements.pay.value);
      if (!fixed && !(pay >= 0)) {
        out.textContent = "请填写当月收入。";
        return;
      }
      var deductions = {};
      category.deductions.forEach(function (id) {
        var value = parseFloat(form.elements["deduction-" + id].value);
        if (value > 0) { deductions[id] = value; }
      });
      var result = monthlyDues(category, pay, deductions);
      out.textContent = "";
      var line = document.createElement("strong");
      line.className = "hb-dues-amount";
      line.textContent = "每月应交党费：" + yuan(result.dues_fen) + " 元";
      out.appendChild(line);
      if (result.percent !== null) {
        out.appendChild(document.createTextNode("（计算基数 " + yuan(result.base_fen) + " 元 × " + result.percent + "%）"));
      }
      if (basis) {
        var cite = document.createElement("div");
        cite.className = "hb-dues-cite";
        cite.innerHTML = basis.innerHTML;  // the page's own, already escaped citation
        out.appendChild(cite);
      }
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    update();
  }

  window.hbDues = { monthlyDues: monthlyDues };
  if (typeof document$ !== "undefined") { document$.subscribe(function () { setup(document); }); }
  else if (document.readyState !== "loading") { setup(document); }
  else { document.addEventListener("DOMContentLoaded", function () { setup(document); }); }
})();
