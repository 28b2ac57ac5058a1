// The new-case form (/casos/nuevo): enhancements only, the form works without this file.
(function () {
  "use strict";
  var form = document.getElementById("nuevo-caso");
  if (!form) { return; }
  var field = function (name) { return form.elements.namedItem(name); };
  var results = document.getElementById("resultado-busqueda");

  // --- requester lookup as the agent leaves the document or e-mail field --------------------------
  var lastSearch = "";
  var digits = function (text) { return (text || "").replace(/[\s.]/g, ""); };
  function fill(values, overwrite) {
    values = values || {};
    var typed = digits(field("requester.document_number").value);
    Object.keys(values).forEach(function (name) {
      var input = field(name);
      if (!input || input.type === "hidden") { return; }
      var choice = (name === "requester.kind" && input.value === "person" &&
                    !field("requester.customer_id").value && !field("requester.lead_id").value) ||
                   (name === "requester.document_type" &&
                    (!typed || typed === values["requester.document_number"]));
      if (overwrite || !input.value || choice) { input.value = values[name]; }
    });
    var kind = field("requester.kind");
    if (kind && kind.value !== "person") { kind.closest("details").open = true; }
  }
  function lookup(force) {
    var documentNumber = (field("requester.document_number").value || "").trim();
    var email = (field("requester.email").value || "").trim();
    var key = documentNumber + "|" + email;
    if ((!documentNumber && !email) || (key === lastSearch && !force)) { return; }
    lastSearch = key;
    // In the body of a POST: a document number in the address would end up in access logs.
    var body = new URLSearchParams({ documento: documentNumber, correo: email,
                                     csrf_token: field("csrf_token").value });
    form.setAttribute("aria-busy", "true");
    fetch(form.dataset.lookupUrl, { method: "POST", credentials: "same-origin", body: body,
                                    headers: { "Accept": "application/json",
                                               "X-Requested-With": "XMLHttpRequest" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        results.innerHTML = data.html;
        if (data.requester) { fill(data.requester, false); }
      })
      .catch(function () { /* the "Buscar" button still works through the server */ })
      .finally(function () { form.removeAttribute("aria-busy"); });
  }
  form.querySelectorAll("[data-lookup]").forEach(function (input) {
    input.addEventListener("change", function () { lookup(false); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) { event.preventDefault(); lookup(true); }
    });
  });

  // "Buscar" and "Usar este cliente" without reloading the page.
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[name=accion]");
    if (!button) { return; }
    if (button.value === "buscar") {
      event.preventDefault();
      lookup(true);
    } else if (button.dataset.requester) {
      event.preventDefault();
      ["requester.customer_id", "requester.branch", "requester.lead_id"].forEach(function (name) {
        if (field(name)) { field(name).value = ""; }
      });
      fill(JSON.parse(button.dataset.requester), true);
      button.textContent = "✓ " + button.textContent;
      field("kind").focus();
    }
  });

  // --- a phone call or a visit is a verbal petition, unless the agent says otherwise ---------------
  var verbal = field("verbal");
  var verbalTouched = false;
  var verbalChannels = (form.dataset.verbalChannels || "").split(" ");
  verbal.addEventListener("change", function () { verbalTouched = true; });
  field("channel").addEventListener("change", function () {
    if (!verbalTouched) { verbal.checked = verbalChannels.indexOf(field("channel").value) !== -1; }
  });

  // --- custom fields only for the kinds they apply to ---------------------------------------------
  function showCustomFields() {
    var kind = field("kind").value;
    var shown = 0;
    form.querySelectorAll(".custom-field").forEach(function (box) {
      var kinds = (box.dataset.kinds || "").split(" ").filter(Boolean);
      box.hidden = kinds.length > 0 && kinds.indexOf(kind) === -1 && !box.querySelector(".field-error");
      shown += box.hidden ? 0 : 1;
    });
    var fieldset = form.querySelector(".custom-fields");
    if (fieldset) { fieldset.hidden = shown === 0; }
  }
  field("kind").addEventListener("change", showCustomFields);
  showCustomFields();

  // --- the solution matters only when the case is resolved at first contact ------------------------
  var firstContact = field("resolved_at_first_contact");
  var solution = form.querySelector(".solution");
  function showSolution() {
    var hasError = solution.querySelector(".field-error");
    solution.hidden = !firstContact.checked && !field("solution").value && !hasError;
    field("solution").required = firstContact.checked;
  }
  firstContact.addEventListener("change", function () {
    showSolution();
    if (firstContact.checked) { field("solution").focus(); }
  });
  showSolution();

  // --- typification search box ----------------------------------------------------------------------
  // The choice follows what is typed: a match the text no longer fits is dropped (the first match is
  // chosen instead, or nothing, with a message), and the chosen path is always shown beside the field.
  // Enter accepts the first match and moves on to the next field; ArrowDown goes to the list.
  form.querySelectorAll("[data-filter-list]").forEach(function (search) {
    var list = document.getElementById(search.dataset.filterList);
    var choice = document.getElementById("eleccion-" + search.dataset.filterList);
    if (!list || !choice) { return; }
    var shown = choice.querySelector("strong");
    var noMatch = choice.querySelector(".no-match");
    function firstVisible() {
      var options = list.querySelectorAll("option");
      for (var i = 0; i < options.length; i++) {
        if (options[i].value && !options[i].hidden) { return options[i]; }
      }
      return null;
    }
    function showChoice() {
      var option = list.options[list.selectedIndex];
      if (!option || !option.value) { shown.textContent = shown.dataset.blank; return; }
      var group = option.parentElement.tagName === "OPTGROUP" ? option.parentElement.label : "";
      var text = option.textContent.trim();
      shown.textContent = group && group !== text ? group + " › " + text : text;
    }
    function follow() {
      var current = list.options[list.selectedIndex];
      var text = search.value.trim();
      var first = firstVisible();
      noMatch.textContent = "";
      if (!text) { showChoice(); return; }
      if (!first) {
        list.value = "";
        noMatch.textContent = search.dataset.noMatch.replace("{text}", text);
      } else if (!current || !current.value || current.hidden) {
        list.value = first.value;
      }
      showChoice();
    }
    // After pqrs.js has hidden the options the text does not fit (it listens first).
    search.addEventListener("input", follow);
    list.addEventListener("change", function () { noMatch.textContent = ""; showChoice(); });
    search.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); list.focus(); return; }
      if (event.key !== "Enter" || event.ctrlKey || event.metaKey) { return; }
      event.preventDefault();
      follow();
      var fields = Array.prototype.filter.call(form.elements, function (el) {
        return el.tagName !== "FIELDSET" && !el.disabled && el.type !== "hidden" && el.tabIndex >= 0 &&
          !el.closest("[hidden]") &&
          (el.type !== "radio" || el.checked);
      });
      var next = fields[fields.indexOf(list) + 1];
      (next || list).focus();
    });
  });

  // --- more reference rows -------------------------------------------------------------------------
  var addReference = form.querySelector("[data-add-reference]");
  if (addReference) {
    addReference.addEventListener("click", function () {
      var rows = form.querySelectorAll(".reference-row");
      var last = rows[rows.length - 1];
      var index = Number(last.dataset.row) + 1;
      var row = last.cloneNode(true);
      row.dataset.row = String(index);
      row.querySelectorAll("[id], [for], [name], [aria-label]").forEach(function (el) {
        ["id", "for", "name"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) { el.setAttribute(attr, value.replace(/references\.\d+\./, "references." + index + ".")); }
        });
        if (el.hasAttribute("aria-label")) {
          el.setAttribute("aria-label", el.getAttribute("aria-label").replace(/\d+$/, String(index + 1)));
        }
        if (el.tagName === "INPUT") { el.value = ""; el.removeAttribute("aria-invalid"); }
      });
      row.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
      last.parentNode.appendChild(row);
      row.querySelector("input").focus();
    });
  }

  // --- Enter never files the case (two half-empty cases were filed that way); Ctrl+Enter does -----
  var fileButton = form.querySelector('button[value="radicar"]');
  var lookupButton = form.querySelector("[data-lookup-button]");
  if (lookupButton) { lookupButton.tabIndex = -1; }  // the lookup runs by itself as the agent leaves the field
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.defaultPrevented) { return; }
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      form.requestSubmit(fileButton);
      return;
    }
    var tag = event.target.tagName;
    if (tag === "INPUT" || tag === "SELECT") { event.preventDefault(); }
  });

  // --- one submission: a double click files once (the server's one-time token is the guarantee) ---
  var sending = false;
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.value !== "radicar") { return; }
    if (sending) { event.preventDefault(); return; }
    sending = true;
    form.setAttribute("aria-busy", "true");
  });
  window.addEventListener("pageshow", function () { sending = false; form.removeAttribute("aria-busy"); });
})();
