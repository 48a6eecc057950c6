// The page's widget manager: ipywidgets' own ManagerBase, models and views, on ``kernel.js``.
//
// Voila's front end builds a JupyterLab shell around the widgets; a worksheet page needs none of it. The
// widget classes a client's page uses are bundled here; any other class of @jupyter-widgets/controls is
// loaded on first use from a chunk of its own, so an unusual widget still works, only later.

import * as base from "@jupyter-widgets/base";
import { ManagerBase } from "@jupyter-widgets/base-manager";
import { Widget } from "@lumino/widgets";
import * as bool from "@jupyter-widgets/controls/lib/widget_bool";
import * as box from "@jupyter-widgets/controls/lib/widget_box";
import * as button from "@jupyter-widgets/controls/lib/widget_button";
import * as description from "@jupyter-widgets/controls/lib/widget_description";
import * as selection from "@jupyter-widgets/controls/lib/widget_selection";
import * as string from "@jupyter-widgets/controls/lib/widget_string";
import * as time from "@jupyter-widgets/controls/lib/widget_time";

const CONTROLS = "@jupyter-widgets/controls";
const BASE = "@jupyter-widgets/base";
const BUNDLED = { ...description, ...bool, ...box, ...button, ...selection, ...string, ...time };

const SLICE_MS = 8;
let sliceStart = performance.now();

/** Give the browser a turn (a tap, a frame) when this task has run ``SLICE_MS``: a page of some forty
 * widgets is then built in many short tasks instead of one long one that a slow phone cannot answer in. */
async function yieldSometimes() {
  if (performance.now() - sliceStart < SLICE_MS) return;
  await new Promise((resolve) => {
    if (window.scheduler && window.scheduler.yield) window.scheduler.yield().then(resolve);
    else {
      const channel = new MessageChannel();
      channel.port1.onmessage = resolve;
      channel.port2.postMessage(null);
    }
  });
  sliceStart = performance.now();
}

export class PageManager extends ManagerBase {
  constructor(kernel) {
    super();
    this.kernel = kernel;
    kernel.registerTarget(this.comm_target_name, (comm, message) => this.handle_comm_open(comm, message));
  }

  async _make_model(options, serializedState) {
    await yieldSometimes();
    return super._make_model(options, serializedState);
  }

  async create_view(model, options) {
    await yieldSometimes();
    return super.create_view(model, options);
  }

  async loadClass(className, moduleName) {
    if (moduleName === BASE && base[className]) return base[className];
    if (moduleName === CONTROLS) {
      if (BUNDLED[className]) return BUNDLED[className];
      const controls = await import("@jupyter-widgets/controls");
      if (controls[className]) return controls[className];
    }
    throw new Error(`Unknown widget class ${moduleName}.${className}`);
  }

  async _create_comm(target, modelId, data, metadata, buffers) {
    const comm = this.kernel.comm(target, modelId);
    if (data || metadata) comm.open(data, undefined, metadata, buffers);
    return comm;
  }

  async _get_comm_info() {
    return this.kernel.commInfo(this.comm_target_name);
  }

  /** Show ``view`` inside ``host``. */
  display(view, host) {
    Widget.attach(view.luminoWidget, host);
  }
}

/** Resolves once ``view`` and every view inside it have been created (box children come later). */
export async function rendered(view) {
  const children = view.children_views ? await Promise.all(view.children_views.views) : [];
  await Promise.all(children.map(rendered));
}
