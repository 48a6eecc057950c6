/* Every client page: Quick exit (button and Esc), signing out, and a worksheet that never goes dead.
 *
 * Loaded in <head>, before anything else runs, so Quick exit works while the page is still loading.
 * - Quick exit and Esc blank the page, end this browser's session on the server (a beacon), and
 *   replace the page with the coach's chosen everyday page (location.replace: the client's page does
 *   not stay behind as the "back" entry). A signed-in page left unused for the coach's idle time ends
 *   its session the same way and shows the code page. Pressing Open on a link's page (or Continue on
 *   the code page) replaces that page with the client's, so the history keeps no link and no code page;
 *   every address left in it is the same neutral one, which opens nothing once the session has ended.
 * - On a worksheet, the kernel's websocket is watched. When it closes, or an answer gets no reply, the
 *   page asks the server whether its kernel is still there: gone (reclaimed, or the server restarted)
 *   means reload with &resume=1, which reopens the draft with one calm line; no answer means the
 *   server is out of reach, said in plain words until it is back.
 */
(function () {
  "use strict";
  function metaContent(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.content : "";
  }
  var exitUrl = metaContent("ck-quick-exit") || "https://www.google.com/";
  var leaveUrl = metaContent("ck-leave");
  var idleMinutes = parseFloat(metaContent("ck-idle-minutes")) || 0;
  var leaving = false;
  var LOST = "We've lost touch with the server. Your answers so far are saved. " +
    "Please try again in a minute.";

  function signOut() {
    if (leaveUrl && navigator.sendBeacon) {
      try { navigator.sendBeacon(leaveUrl); } catch (error) { /* the session still ends when idle */ }
    }
  }

  function leave() {
    leaving = true;
    document.documentElement.style.display = "none";
    signOut();
    window.location.replace(exitUrl);
  }

  function replaceWith(url) {
    leaving = true;
    window.location.replace(url);
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      event.preventDefault();
      leave();
    }
  }, true);

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    if (target.closest(".ck-quick-exit")) {
      event.preventDefault();
      leave();
      return;
    }
    var link = target.closest("a[href]");
    if (link && !link.target && !link.hasAttribute("download") && link.origin === location.origin &&
        link.pathname.indexOf("/voila/render/") !== -1) {
      event.preventDefault();
      replaceWith(link.href);
    }
  }, true);

  // Open on a link's page, and Continue on the code page: the server answers where to go next (the
  // client's page, or the code page saying what went wrong), which replaces this page, so the history
  // keeps neither the link nor the code page. Without that answer, the form is sent as usual.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !window.fetch) return;
    if (!form.classList.contains("ck-open-form") && !form.classList.contains("ck-code-form")) return;
    event.preventDefault();
    var button = form.querySelector("button");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-Coachkit-Open": "1" }
    })
      .then(function (response) { return response.json(); })
      .then(function (reply) {
        if (reply && reply.next) replaceWith(reply.next);
        else form.submit();
      })
      .catch(function () { form.submit(); });
  }, true);

  // A signed-in page left unused: end the session and show the code page instead.
  if (idleMinutes > 0 && leaveUrl) {
    var idleTimer = null;
    var restartIdle = function () {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(function () {
        leaving = true;
        document.documentElement.style.display = "none";
        signOut();
        window.location.replace(leaveUrl.replace(/leave$/, "code?said=idle"));
      }, idleMinutes * 60000);
    };
    ["keydown", "pointerdown", "input", "scroll", "touchstart"].forEach(function (kind) {
      document.addEventListener(kind, restartIdle, { capture: true, passive: true });
    });
    restartIdle();
  }

  window.addEventListener("pagehide", function () { leaving = true; });

  // -- keeping a worksheet alive -------------------------------------------------------------

  function pageConfig() {
    var element = document.getElementById("jupyter-config-data");
    try {
      return element ? JSON.parse(element.textContent) : null;
    } catch (error) {
      return null;
    }
  }

  var sockets = [];
  var connected = false;
  var checking = false;
  var retryMs = 3000;
  var replyTimer = null;

  function anyOpen() {
    return sockets.some(function (socket) { return socket.readyState === WebSocket.OPEN; });
  }

  function banner(show) {
    var element = document.getElementById("ck-lost");
    if (!element && show) {
      element = document.createElement("p");
      element.id = "ck-lost";
      element.className = "ck-lost";
      element.setAttribute("role", "alert");
      element.textContent = LOST;
      (document.body || document.documentElement).appendChild(element);
    }
    if (element) element.hidden = !show;
  }

  function reloadsLately() {
    var now = Date.now();
    var times = [];
    try {
      times = JSON.parse(sessionStorage.getItem("ck-reloads") || "[]");
    } catch (error) {
      times = [];
    }
    times = times.filter(function (t) { return now - t < 120000; });
    times.push(now);
    try {
      sessionStorage.setItem("ck-reloads", JSON.stringify(times));
    } catch (error) { /* private mode: no guard, still fine */ }
    return times.length;
  }

  function resume() {
    if (reloadsLately() > 3) {
      banner(true);
      return;
    }
    var url = new URL(location.href);
    url.searchParams.set("resume", "1");
    replaceWith(url.href);
  }

  function check() {
    var config = pageConfig();
    if (leaving || checking || !config || !config.kernelId) return;
    checking = true;
    var url = (config.baseUrl || "/") + "coachkit/kernel/" + encodeURIComponent(config.kernelId);
    fetch(url, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 404) return resume();
        if (!response.ok) throw new Error("unavailable");
        retryMs = 3000;
        if (!anyOpen()) setTimeout(check, retryMs);  // alive: Voila reconnects; look again soon
        else banner(false);
      })
      .catch(function () {
        if (leaving) return;
        banner(true);
        setTimeout(check, retryMs);
        retryMs = Math.min(retryMs * 2, 30000);
      })
      .then(function () { checking = false; });
  }

  var Native = window.WebSocket;
  if (!Native) return;
  class WatchedSocket extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      if (String(url).indexOf("/channels") === -1) return;
      var socket = this;
      sockets.push(socket);
      socket.addEventListener("open", function () {
        connected = true;
        banner(false);
      });
      socket.addEventListener("message", function () {
        clearTimeout(replyTimer);
        replyTimer = null;
      });
      socket.addEventListener("close", function () {
        sockets = sockets.filter(function (other) { return other !== socket; });
        if (!leaving) setTimeout(check, 500);
      });
    }
  }
  window.WebSocket = WatchedSocket;

  // An answer or a click the server never replies to: is it still there?
  ["click", "change", "input"].forEach(function (kind) {
    document.addEventListener(kind, function (event) {
      var target = event.target instanceof Element ? event.target : null;
      if (!target || !target.closest(".jp-OutputArea, .ck-app") || !pageConfig()) return;
      if (!anyOpen()) return check();
      if (!replyTimer) replyTimer = setTimeout(function () { replyTimer = null; check(); }, 8000);
    }, true);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && connected && !anyOpen()) check();
  });
  window.addEventListener("online", function () { if (connected && !anyOpen()) check(); });
  // A page whose kernel went before its scripts could connect (a very slow link) must not stay dead.
  window.addEventListener("load", function () {
    setTimeout(function () { if (!connected) check(); }, 5000);
  });
})();
