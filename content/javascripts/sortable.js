// Sort the standard work checklists by any column: click a header, click again to reverse.
// Each header becomes a button, so sorting works with the keyboard (Tab, then Enter or Space)
// and screen readers announce it; aria-sort on the header says how the table is sorted.
// Written here rather than fetched, because the site must work with no outside access.
function hbSortable(root) {
  root.querySelectorAll(".hb-checklist table").forEach(function (table) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (th, column) {
      if (th.querySelector("button.hb-sort")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "hb-sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
          var order = (x !== "" && y !== "" && !isNaN(x) && !isNaN(y)) ? x - y : x.localeCompare(y, "zh-CN");
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
}
if (typeof document$ !== "undefined") { document$.subscribe(function () { hbSortable(document); }); }
else { document.addEventListener("DOMContentLoaded", function () { hbSortable(document); }); }
