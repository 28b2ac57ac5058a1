// pqrs — the dashboard (/panel) refreshes its figures in place every two minutes while the tab is visible,
// without reloading the page (nothing the person is reading or typing moves). Enhancement only: without
// this file the «Actualizar» link reloads the figures.
(function () {
  "use strict";
  var panel = document.querySelector("[data-refresh-every]");
  if (!panel) { return; }
  var every = Number(panel.dataset.refreshEvery) * 1000;

  function refresh() {
    if (document.hidden) { return; }
    var request = new XMLHttpRequest();
    request.open("GET", window.location.href);
    request.responseType = "document";
    // A background request: the page it gets leaves the form's messages for the person's next page.
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.onload = function () {
      if (request.status !== 200 || !request.response) { return; }
      var fresh = request.response.querySelector("[data-refresh-every]");
      if (fresh) { panel.innerHTML = fresh.innerHTML; }
    };
    request.send();
  }

  window.pqrsRefreshPanel = refresh; // what the page does every two minutes and when it is shown again
  window.setInterval(refresh, every);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); } });
})();
