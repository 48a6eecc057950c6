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
 * - Nothing typed is lost meanwhile, and a page whose kernel gave way to a newer tab says so: see the
 *   last section.
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
  // The page's words, in its language, from the server (coachkit/web/pages.py PAGE_WORDS): this script
  // holds none of its own, so every word it shows is in coachkit's catalog.
  var WORDS = (function () {
    try { return JSON.parse(metaContent("ck-words") || "{}"); } catch (error) { return {}; }
  })();
  function say(name) { return WORDS[name] || ""; }
  var LOST = say("lost");

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
        if (response.status === 404) return keepTypedThen(resume);
        if (response.status === 409) return gaveWay();
        if (!response.ok) throw new Error("unavailable");
        retryMs = 3000;
        if (!anyOpen() && typedUnheard()) return keepTypedThen(resume);  // its words may not have got there
        if (!anyOpen()) setTimeout(check, retryMs);  // alive: the page reconnects by itself; look again soon
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

  // -- nothing typed is lost while the server is away; a page that gave way says so ---------------
  // What is typed in a worksheet's text boxes stays on this page (in memory only: browser storage
  // would keep it on a phone someone else may read). Before the page reloads into its draft, every box
  // typed in here is sent to coachkit/unsaved, which saves it into the draft if this page still writes
  // it (checked as on the page: coachkit/web/typed.py); what was saved already is left as it is. What
  // could not be saved is shown, to be copied, with plain words, and the page waits for the client.
  // A page whose kernel gave way to a newer page of the same client (409) says so and stays as it is:
  // reloading would take the kernel back from the newer tab, and so on, tab against tab.
  var TEXT_BOX = /(?:^|\s)ck-text-([a-z][a-z0-9_]*)(?:\s|$)/;
  var DRAFT = /(?:^|\s)ck-draft-([0-9]+-[0-9a-f]+)(?:\s|$)/;
  var GAVE_WAY = say("gave_way");
  var NOT_SAVED = say("not_saved");
  var lastHeard = Date.now();
  var typedAt = {};
  var keeping = false;

  function textBoxes() {
    var found = [];
    document.querySelectorAll('[class*="ck-text-"]').forEach(function (widget) {
      var match = TEXT_BOX.exec(widget.className);
      var box = widget.querySelector("textarea, input");
      if (match && box) found.push({ id: match[1], box: box, widget: widget });
    });
    return found;
  }

  document.addEventListener("input", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var widget = target ? target.closest('[class*="ck-text-"]') : null;
    var match = widget ? TEXT_BOX.exec(widget.className) : null;
    if (match) typedAt[match[1]] = Date.now();
  }, true);

  // Typed since the kernel last answered (with a second's grace for its save): maybe not saved.
  function typedUnheard() {
    return Object.keys(typedAt).some(function (id) { return typedAt[id] > lastHeard - 1000; });
  }

  function draftName() {
    var wizard = document.querySelector('[class*="ck-draft-"]');
    var match = wizard ? DRAFT.exec(wizard.className) : null;
    return match ? match[1] : "";
  }

  // Send every box typed in on this page, then go on: next() once nothing is left unsaved; the words
  // shown as unsaved if the server refused them; asked again later if it cannot be reached.
  function keepTypedThen(next) {
    var config = pageConfig();
    var fields = textBoxes().filter(function (field) { return typedAt[field.id]; });
    if (!fields.length || !config || !draftName()) return next();
    if (keeping) return;
    keeping = true;
    var typed = {};
    fields.forEach(function (field) { typed[field.id] = field.box.value; });
    fetch((config.baseUrl || "/") + "coachkit/unsaved", {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", "X-Coachkit-Unsaved": "1" },
      body: JSON.stringify({ draft: draftName(), typed: typed })
    })
      .then(function (response) {
        return response.ok ? response.json() : { saved: [] };
      }, function () {
        return null;  // out of reach again: keep the words, and ask again
      })
      .then(function (reply) {
        keeping = false;
        if (reply === null) {
          banner(true);
          setTimeout(check, retryMs);
          return;
        }
        var saved = Array.isArray(reply.saved) ? reply.saved : [];
        var unsaved = fields.filter(function (field) { return saved.indexOf(field.id) === -1; });
        if (unsaved.length) showUnsaved(unsaved, next);
        else next();
      });
  }

  function notice(id, text, buttonLabel, onPress) {
    var element = document.getElementById(id);
    if (element) return element;
    element = document.createElement("section");
    element.id = id;
    element.className = "ck-kept";
    element.setAttribute("role", "alert");
    var words = document.createElement("p");
    words.textContent = text;
    element.appendChild(words);
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = buttonLabel;
    button.addEventListener("click", onPress);
    element.appendChild(button);
    (document.body || document.documentElement).appendChild(element);
    return element;
  }

  function showUnsaved(fields, next) {
    banner(false);
    var panel = notice("ck-unsaved", NOT_SAVED, say("go_on"), function () { next(); });
    var button = panel.querySelector("button");
    fields.forEach(function (field) {
      var question = field.widget.querySelector(".ck-question");
      var label = document.createElement("label");
      label.textContent = question ? question.textContent : say("you_typed");
      var copy = document.createElement("textarea");
      copy.readOnly = true;
      copy.value = field.box.value;
      label.appendChild(copy);
      panel.insertBefore(label, button);
    });
  }

  function gaveWay() {
    banner(false);
    notice("ck-elsewhere", GAVE_WAY, say("carry_on"), resume);
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
        lastHeard = Date.now();
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
