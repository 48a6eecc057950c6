// A client's page: connect to its kernel, draw the widgets it shows, and let them take over the painted step.
//
// The page arrives in two parts: its top at once (the painted step), the rest once the kernel has run the
// notebook. This script starts as soon as it has loaded (an async module), while the page still streams:
// it connects to the kernel as soon as the page names it (#jupyter-config-data) and loads the widgets'
// code meanwhile; once the cell has shown its widget (#ck-view) it asks the kernel for the widgets' state
// and draws them hidden, in #ck-live, to take the painted step's place (takeover.js). Each of the two
// parts is marked complete by a line of script after it (window.ckArrived), so a part is never read
// half-arrived.

import { KernelConnection } from "./kernel.js";
import { changes, pressedButton, replay, swap } from "./takeover.js";

const BUTTON_DELAY_MS = 300;
const BLANK_KEY = "ck-blank";

/** Resolves once the page's part ``name`` has arrived ("kernel", "view"), or with false once the whole
 * page has arrived without it. */
function arrived(name) {
  const done = () => Boolean(window.ckArrived && window.ckArrived[name]);
  if (done()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const check = () => {
      if (done() || document.readyState !== "loading") {
        document.removeEventListener("ck-arrived", check);
        document.removeEventListener("DOMContentLoaded", check);
        resolve(done());
      }
    };
    document.addEventListener("ck-arrived", check);
    document.addEventListener("DOMContentLoaded", check);
  });
}

function json(id) {
  const element = document.getElementById(id);
  try {
    return element ? JSON.parse(element.textContent) : null;
  } catch (error) {
    return null;
  }
}

function socketUrl(config) {
  const url = new URL(`${config.baseUrl}api/kernels/${encodeURIComponent(config.kernelId)}/channels`, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

/** The kernel goes when the page does (Voila's "tab closed" call; the server also reclaims it later). */
function endWithPage(config) {
  window.addEventListener("pagehide", (event) => {
    if (event.persisted || !navigator.sendBeacon) return;
    navigator.sendBeacon(`${config.baseUrl}voila/api/shutdown/${encodeURIComponent(config.kernelId)}`);
  });
}

/** The kernel's socket, open (while the widgets' code loads). */
async function opened(config) {
  const kernel = new KernelConnection(socketUrl(config));
  await kernel.connect();
  return kernel;
}

/** The notebook's cell showed nothing (its output was lost on the way): reload once, then say so. */
function blank() {
  document.documentElement.dataset.ck = "blank";
  let tries = 0;
  try {
    tries = Number(sessionStorage.getItem(BLANK_KEY) || 0);
    sessionStorage.setItem(BLANK_KEY, String(tries + 1));
  } catch (error) { /* private mode: no guard, the message below still shows */ }
  if (tries < 1) {
    const url = new URL(location.href);
    url.searchParams.set("resume", "1");
    location.replace(url.href);
    return;
  }
  const note = document.getElementById("ck-blank");
  if (note) note.hidden = false;
}

/** The next task: what ran so far ends here, and the browser may paint or answer a tap in between. */
export function nextTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = resolve;
    channel.port2.postMessage(null);
  });
}

/** ipywidgets' code, in two parts that each run in a task of their own (Lumino's widgets, then the
 * rest): one long task at start-up is what a slow phone feels as a page that does not answer. */
async function widgetCode() {
  await import("@lumino/widgets");
  await nextTask();
  return import("./manager.js");
}

async function start() {
  const code = widgetCode();
  if (!(await arrived("kernel"))) return;
  const config = json("jupyter-config-data");
  const live = document.getElementById("ck-live");
  if (!config || !config.kernelId || !live) return;
  endWithPage(config);
  const kernel = opened(config);
  const shown = (await arrived("view")) ? json("ck-view") : null;
  if (!shown || !shown.model_id) return blank();
  try {
    sessionStorage.removeItem(BLANK_KEY);
  } catch (error) { /* nothing to forget */ }
  const [{ PageManager, rendered }, connection] = await Promise.all([code, kernel]);
  const manager = new PageManager(connection);
  connection.onReconnect = () => manager._loadFromKernel();  // catch up on what changed while away
  await manager._loadFromKernel();
  const model = await manager.get_model(shown.model_id);
  const view = await manager.create_view(model);
  manager.display(view, live);
  await rendered(view);
  const painted = document.getElementById("ck-prepaint");
  if (!painted) {
    live.hidden = false;
  } else {
    const found = changes(painted);
    replay(found, live);
    swap(painted, live);
    const button = pressedButton(found, live);
    if (button) setTimeout(() => button.click(), BUTTON_DELAY_MS);
  }
  document.documentElement.dataset.ck = "live";
}

start();
