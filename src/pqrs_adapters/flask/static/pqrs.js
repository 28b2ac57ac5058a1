// pqrs — enhancements only: every page works without this file.
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]');

  // "Select all" checkboxes: <input type="checkbox" data-select-all="name-of-the-row-checkboxes">.
  document.querySelectorAll("[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll('input[type=checkbox][name="' + box.dataset.selectAll + '"]').forEach(function (row) {
        row.checked = box.checked;
      });
    });
  });

  // Buttons that ask before acting: <button data-confirm="¿Seguro?">.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });

  // Controls that only make sense with JavaScript are hidden in the HTML and shown here.
  document.querySelectorAll(".js-only[hidden]").forEach(function (el) { el.hidden = false; });

  // Filter a list as one types: <input data-filter-list="id-of-a-list-or-select">.
  document.querySelectorAll("[data-filter-list]").forEach(function (input) {
    var target = document.getElementById(input.dataset.filterList);
    if (!target) { return; }
    var fold = function (text) { return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); };
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      target.querySelectorAll("option, li").forEach(function (item) {
        if (item.tagName === "OPTION" && !item.value) { return; }
        var group = item.parentElement && item.parentElement.tagName === "OPTGROUP" ? item.parentElement.label : "";
        var text = fold(group + " " + (item.textContent || ""));
        item.hidden = words.some(function (w) { return text.indexOf(w) === -1; });
      });
    });
  });

  // "Imprimir" on printable reports: <button class="js-print" hidden> (shown only where it works).
  document.querySelectorAll(".js-print").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // Errors summary gets the focus so screen readers announce it.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }

  window.pqrs = { csrfToken: token ? token.content : null };
})();
