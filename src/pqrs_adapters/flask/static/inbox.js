// The inbox (/bandeja) from the keyboard: j/k move between cases, Enter opens, x ticks, c new case,
// / search, ? the list of shortcuts. Enhancements only: the page works without this file.
(function () {
  "use strict";
  var table = document.getElementById("casos");
  var help = document.getElementById("atajos");
  var newCase = (document.querySelector("[data-new-case]") || { dataset: {} }).dataset.newCase;
  var rows = table ? Array.prototype.slice.call(table.querySelectorAll("tbody tr")) : [];
  var current = -1;

  function link(row) { return row.querySelector("th a"); }
  function go(index) {
    if (!rows.length) { return; }
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) { row.classList.toggle("current", i === current); });
    link(rows[current]).focus();
  }
  // A case reached by Tab or by the skip link becomes the current one.
  rows.forEach(function (row, i) {
    link(row).addEventListener("focus", function () {
      current = i;
      rows.forEach(function (other, j) { other.classList.toggle("current", j === i); });
    });
  });

  // The bulk actions open as soon as a case is ticked.
  var bulk = document.querySelector("details.bulk");
  if (bulk && table) {
    table.addEventListener("change", function (event) {
      if (event.target.type === "checkbox" && event.target.checked) { bulk.open = true; }
    });
  }

  // "Mover" offers only the transitions every ticked case allows (each row lists its own).
  var transition = document.getElementById("transicion");
  var transitionHelp = document.getElementById("ayuda-transicion");
  function offerTransitions() {
    if (!transition) { return; }
    var ticked = rows.filter(function (row) {
      var box = row.querySelector("input[type=checkbox]");
      return box && box.checked;
    });
    var common = null;
    ticked.forEach(function (row) {
      var names = (row.dataset.transitions || "").split(" ").filter(Boolean);
      common = common === null ? names : common.filter(function (n) { return names.indexOf(n) !== -1; });
    });
    Array.prototype.forEach.call(transition.options, function (option) {
      var offered = !option.value || common === null || common.indexOf(option.value) !== -1;
      option.hidden = !offered;
      option.disabled = !offered;
    });
    if (transition.selectedOptions[0] && transition.selectedOptions[0].disabled) { transition.value = ""; }
    if (transitionHelp && common !== null) {
      transitionHelp.textContent = common.length ? transitionHelp.dataset.some : transitionHelp.dataset.none;
    }
  }
  if (table) { table.addEventListener("change", offerTransitions); }

  function showHelp() { if (help && !help.open) { help.showModal(); } }
  document.querySelectorAll("[data-shortcuts-help]").forEach(function (button) {
    button.addEventListener("click", showHelp);
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) { return; }
    var target = event.target;
    if (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) { return; }
    if (help && help.open) { return; }  // the dialog's own keys (Escape closes it)
    var key = event.key;
    if (key === "j") { go(current + 1); }
    else if (key === "k") { go(current < 0 ? 0 : current - 1); }
    else if (key === "x" && current >= 0) {
      var box = rows[current].querySelector("input[type=checkbox]");
      if (box) { box.click(); }
    } else if (key === "c" && newCase) { window.location.assign(newCase); }
    else if (key === "/") {
      var search = document.getElementById("q");
      if (search) { search.focus(); search.select(); }
    } else if (key === "?") { showHelp(); }
    else { return; }
    event.preventDefault();
  });
})();
