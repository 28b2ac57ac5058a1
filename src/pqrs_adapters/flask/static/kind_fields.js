// The custom fields of a filing form shown only for the kinds they apply to: a fieldset with
// data-kind-field="<name of the kind select>" holds boxes with data-kinds="<codes>" (empty: every kind).
(function () {
  "use strict";
  document.querySelectorAll("fieldset[data-kind-field]").forEach(function (fieldset) {
    var select = fieldset.form && fieldset.form.elements[fieldset.dataset.kindField];
    if (!select) { return; }
    function show() {
      var shown = 0;
      fieldset.querySelectorAll(".custom-field").forEach(function (box) {
        var kinds = (box.dataset.kinds || "").split(" ").filter(Boolean);
        box.hidden = kinds.length > 0 && kinds.indexOf(select.value) === -1 && !box.querySelector(".field-error");
        shown += box.hidden ? 0 : 1;
      });
      fieldset.hidden = shown === 0;
    }
    select.addEventListener("change", show);
    show();
  });
})();
