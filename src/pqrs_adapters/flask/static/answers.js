// pqrs — canned answers on the case page, an enhancement only: without this file «Insertar» posts the
// form and the page comes back with the answer in the text.
// Choosing an answer shows it filled with the case's data; «Insertar» puts it at the cursor of the
// form's text field (and, for a macro in the response, offers to apply it when the response is sent).
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]');

  function insertAt(field, text) {
    var start = field.selectionStart, end = field.selectionEnd, value = field.value;
    if (typeof start !== "number" || document.activeElement !== field && start === 0 && end === 0) {
      start = end = value.length;  // never focused: append
    }
    var before = value.slice(0, start), after = value.slice(end);
    var glue = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
    field.value = before + glue + text + after;
    var caret = (before + glue + text).length;
    field.focus();
    field.setSelectionRange(caret, caret);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function say(box, text, isError) {
    box.hidden = false;
    box.textContent = "";
    var p = document.createElement(isError ? "p" : "pre");
    p.className = isError ? "field-error" : "answer-preview-text";
    if (!isError) { p.tabIndex = 0; p.setAttribute("aria-label", "Vista previa de la respuesta tipo"); }
    p.textContent = text;
    box.appendChild(p);
  }

  document.querySelectorAll("[data-answer-picker]").forEach(function (picker) {
    var form = picker.closest("form");
    var field = form && form.querySelector('[name="' + picker.dataset.answerPicker + '"]');
    var select = picker.querySelector("select");
    var preview = picker.querySelector(".answer-preview");
    var button = picker.querySelector("[data-insert-answer]");
    if (!form || !field || !select || !preview || !button) { return; }

    function show() {
      if (!select.value) { preview.hidden = true; return; }
      var article = select.value.indexOf("kb:") === 0;
      var id = article ? select.value.slice(3) : select.value;
      var url = (article ? picker.dataset.articleUrl : picker.dataset.previewUrl).replace(/\/0$/, "/" + encodeURIComponent(id));
      fetch(url, { headers: { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" },
                   credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) { say(preview, data.error || data.text, Boolean(data.error)); })
        .catch(function () { preview.hidden = true; });
    }
    select.addEventListener("change", show);
    show();

    button.addEventListener("click", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      data.set("accion_respuesta_tipo", "insertar");
      data.set("destino", picker.dataset.answerPicker);
      data.set("respuesta_tipo", select.value);
      data.set("formato", "json");
      fetch(picker.dataset.insertUrl, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest",
                   "X-CSRF-Token": token ? token.content : "" }
      }).then(function (r) { return r.json(); }).then(function (answer) {
        if (answer.error) { say(preview, answer.error, true); return; }
        insertAt(field, answer.text);
        var choice = form.querySelector("[data-macro-choice]");
        if (answer.macro && choice) {
          choice.hidden = false;
          choice.textContent = "";
          var hidden = document.createElement("input");
          hidden.type = "hidden"; hidden.name = "macro"; hidden.value = answer.macro;
          var line = document.createElement("p");
          line.className = "field check";
          var box = document.createElement("input");
          box.type = "checkbox"; box.name = "aplicar_macro"; box.value = "1"; box.id = "aplicar_macro"; box.checked = true;
          var label = document.createElement("label");
          label.htmlFor = "aplicar_macro";
          label.textContent = "Al enviar, aplicar también la macro «" + answer.title + "»: " + answer.macro_changes.join("; ");
          line.appendChild(box); line.appendChild(label);
          choice.appendChild(hidden); choice.appendChild(line);
        }
      }).catch(function () { form.requestSubmit(button); });
    });
  });
})();
