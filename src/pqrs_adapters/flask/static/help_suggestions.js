// pqrs — help articles offered as the subject is typed on the filing form. An enhancement only:
// without it the form shows a link to /ayuda.
(function () {
  "use strict";
  document.querySelectorAll("[data-help-suggestions]").forEach(function (box) {
    var field = document.getElementById(box.dataset.helpSuggestions);
    var list = box.querySelector("ul");
    if (!field || !list) { return; }
    var timer = null, last = "";

    function show(items) {
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.url; a.target = "_blank"; a.rel = "noopener";
        a.textContent = item.title;
        li.appendChild(a);
        if (item.summary) {
          var small = document.createElement("span");
          small.className = "muted";
          small.textContent = " — " + item.summary;
          li.appendChild(small);
        }
        list.appendChild(li);
      });
      box.hidden = items.length === 0;
    }

    function ask() {
      var text = field.value.trim();
      if (text === last) { return; }
      last = text;
      if (text.length < 4) { show([]); return; }
      fetch(box.dataset.url + "?asunto=" + encodeURIComponent(text), {
        headers: { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" },
        credentials: "same-origin"
      }).then(function (r) { return r.json(); })
        .then(function (data) { if (field.value.trim() === text) { show(data.items || []); } })
        .catch(function () { /* the link to /ayuda stays */ });
    }

    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 350);
    });
    ask();
  });
})();
