// pqrs — the bell's count and the inbox's «N casos nuevos», refreshed from small JSON endpoints.
// Enhancement only: without this file the counts are those of the last page load.
(function () {
  "use strict";
  var EVERY = 60000; // ms between refreshes while the tab is visible

  function getJson(url, done) {
    var request = new XMLHttpRequest();
    request.open("GET", url);
    request.setRequestHeader("Accept", "application/json");
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest"); // a background request: see background.py
    request.onload = function () {
      if (request.status === 200) {
        try { done(JSON.parse(request.responseText)); } catch (ignored) { /* not JSON: keep what is shown */ }
      }
    };
    request.send();
  }

  var bell = document.querySelector("a.bell[data-summary]");
  function refreshBell() {
    if (!bell) { return; }
    getJson(bell.dataset.summary, function (data) {
      var badge = bell.querySelector("[data-unread]");
      var label = bell.querySelector("[data-unread-label]");
      badge.textContent = String(data.unread);
      badge.hidden = label.hidden = !data.unread;
    });
  }

  var banner = document.querySelector("[data-new-cases]");
  function refreshInbox() {
    if (!banner) { return; }
    var url = banner.dataset.newCases;
    url += (url.indexOf("?") === -1 ? "?" : "&") + "desde=" + encodeURIComponent(banner.dataset.since);
    getJson(url, function (data) {
      if (data.new > 0) {
        banner.querySelector("[data-new-cases-text]").textContent = data.message + ".";
        banner.hidden = false;
      }
    });
  }

  function refresh() {
    if (document.visibilityState === "hidden") { return; }
    refreshBell();
    refreshInbox();
  }
  window.setInterval(refresh, EVERY);
  window.addEventListener("focus", refresh);
  document.addEventListener("visibilitychange", refresh);
  window.pqrsRefreshNotifications = refresh; // for the browser tests
})();
