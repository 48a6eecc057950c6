// A page's connection to its kernel: Jupyter's messaging protocol over jupyter_server's kernel websocket.
//
// Only what a widget page needs: comm messages (open, message, close, info) on the shell channel, and the
// kernel's iopub traffic routed to the comm or the request it answers. Messages go as JSON text, or in
// jupyter_server's binary framing when they carry buffers (the websocket's default protocol, no
// subprotocol). A lost socket is reopened, with what was sent meanwhile kept and sent once it is back;
// whether the kernel itself is still there is page.js's question (/coachkit/kernel/<id>).

const PROTOCOL_VERSION = "5.3";
const RETRY_MS = [500, 1000, 2000, 4000, 8000, 15000];

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A message in jupyter_server's binary framing: part count, offsets, the JSON, then each buffer. */
export function serializeBinary(message, buffers) {
  const json = new TextEncoder().encode(JSON.stringify(message));
  const parts = [json, ...buffers.map((b) => new Uint8Array(b.buffer || b, b.byteOffset || 0, b.byteLength))];
  const head = 4 * (parts.length + 1);
  const total = parts.reduce((sum, part) => sum + part.byteLength, head);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, parts.length);
  let offset = head;
  parts.forEach((part, index) => {
    view.setUint32(4 * (index + 1), offset);
    out.set(part, offset);
    offset += part.byteLength;
  });
  return out.buffer;
}

export function deserializeBinary(data) {
  const view = new DataView(data);
  const count = view.getUint32(0);
  const offsets = [];
  for (let index = 0; index < count; index++) offsets.push(view.getUint32(4 * (index + 1)));
  offsets.push(data.byteLength);
  const parts = offsets.slice(0, -1).map((start, index) => new DataView(data, start, offsets[index + 1] - start));
  const message = JSON.parse(new TextDecoder().decode(parts[0]));
  message.buffers = parts.slice(1);
  return message;
}

/** What one request is waiting for: its shell reply and the kernel's "idle" after it. */
class Request {
  constructor(message, callbacks) {
    this.msg = message;
    this.callbacks = callbacks || {};
    this.replied = !message.header.msg_type.endsWith("_request");  // comm messages get no reply
    this.idle = false;
  }

  get done() {
    return this.replied && this.idle;
  }
}

export class KernelConnection {
  constructor(url) {
    this.url = url;
    this.session = uuid();
    this.socket = null;
    this.queue = [];
    this.requests = new Map();
    this.comms = new Map();
    this.targets = new Map();
    this.attempt = 0;
    this.closed = false;
    this.onReconnect = null;
  }

  /** Open the socket; resolves once it is open (and every later drop is retried). */
  connect() {
    return new Promise((resolve) => {
      this._opened = resolve;
      this._open();
    });
  }

  _open() {
    const socket = new WebSocket(`${this.url}?session_id=${this.session}`);
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    socket.onopen = () => {
      const reconnected = this.attempt > 0;
      this.attempt = 0;
      const queued = this.queue.splice(0);
      queued.forEach((frame) => socket.send(frame));
      if (this._opened) {
        this._opened();
        this._opened = null;
      } else if (reconnected && this.onReconnect) {
        this.onReconnect();
      }
    };
    socket.onmessage = (event) => this._receive(event.data);
    socket.onclose = () => {
      if (this.closed || this.socket !== socket) return;
      const delay = RETRY_MS[Math.min(this.attempt, RETRY_MS.length - 1)];
      this.attempt += 1;
      setTimeout(() => this._open(), delay);
    };
  }

  close() {
    this.closed = true;
    if (this.socket) this.socket.close();
  }

  /** Send a shell message; returns it (its header holds the msg_id). */
  send(msgType, content, callbacks, metadata, buffers) {
    const message = {
      header: {
        msg_id: uuid(), msg_type: msgType, session: this.session, username: "",
        date: new Date().toISOString(), version: PROTOCOL_VERSION,
      },
      parent_header: {}, metadata: metadata || {}, content, channel: "shell",
    };
    this.requests.set(message.header.msg_id, new Request(message, callbacks));
    const frame = buffers && buffers.length ? serializeBinary({ ...message, buffers: [] }, buffers)
      : JSON.stringify({ ...message, buffers: [] });
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(frame);
    else this.queue.push(frame);
    return message;
  }

  /** Resolves with a request's shell reply. */
  request(msgType, content) {
    return new Promise((resolve) => {
      this.send(msgType, content, { shell: { reply: resolve } });
    });
  }

  _receive(data) {
    const message = typeof data === "string" ? JSON.parse(data) : deserializeBinary(data);
    message.buffers = message.buffers || [];
    const type = message.header.msg_type;
    const parent = (message.parent_header || {}).msg_id;
    const request = parent ? this.requests.get(parent) : undefined;
    if (message.channel === "iopub") {
      if (type === "comm_open") this._commOpened(message);
      else if (type === "comm_msg") this._commCall(message, "onMsg");
      else if (type === "comm_close") this._commCall(message, "onClose", true);
      if (request) this._iopub(request, message);
    } else if (message.channel === "shell" && request) {
      request.replied = true;
      const shell = request.callbacks.shell || {};
      if (shell.reply) shell.reply(message);
    }
    if (request && request.done) this.requests.delete(parent);
  }

  _iopub(request, message) {
    const type = message.header.msg_type;
    const iopub = request.callbacks.iopub || {};
    if (type === "status") {
      if (message.content.execution_state === "idle") request.idle = true;
      if (iopub.status) iopub.status(message);
    } else if (type === "clear_output") {
      if (iopub.clear_output) iopub.clear_output(message);
    } else if (["display_data", "execute_result", "stream", "error"].includes(type) && iopub.output) {
      iopub.output(message);
    }
  }

  _commOpened(message) {
    const { comm_id: id, target_name: target } = message.content;
    const handler = this.targets.get(target);
    if (!handler || this.comms.has(id)) return;
    const comm = new Comm(this, id, target);
    this.comms.set(id, comm);
    handler(comm, message);
  }

  _commCall(message, hook, forget) {
    const comm = this.comms.get(message.content.comm_id);
    if (!comm) return;
    if (forget) this.comms.delete(comm.comm_id);
    if (comm[hook]) comm[hook](message);
  }

  /** Comms the kernel has open for ``target`` (``comm_info_request``). */
  async commInfo(target) {
    const reply = await this.request("comm_info_request", { target_name: target });
    return reply.content.comms || {};
  }

  registerTarget(target, handler) {
    this.targets.set(target, handler);
  }

  /** A comm object for ``id`` (a new one is opened in the kernel by ``open``). */
  comm(target, id) {
    const comm = new Comm(this, id || uuid(), target);
    this.comms.set(comm.comm_id, comm);
    return comm;
  }
}

/** One comm, with the interface ipywidgets' models expect (``IClassicComm``). */
export class Comm {
  constructor(kernel, id, target) {
    this.kernel = kernel;
    this.comm_id = id;
    this.target_name = target;
    this.onMsg = null;
    this.onClose = null;
  }

  open(data, callbacks, metadata, buffers) {
    const content = { comm_id: this.comm_id, target_name: this.target_name, data: data || {} };
    return this.kernel.send("comm_open", content, callbacks, metadata, buffers).header.msg_id;
  }

  send(data, callbacks, metadata, buffers) {
    const content = { comm_id: this.comm_id, data };
    return this.kernel.send("comm_msg", content, callbacks, metadata, buffers).header.msg_id;
  }

  close(data, callbacks, metadata, buffers) {
    this.kernel.comms.delete(this.comm_id);
    const content = { comm_id: this.comm_id, data: data || {} };
    return this.kernel.send("comm_close", content, callbacks, metadata, buffers).header.msg_id;
  }

  on_msg(callback) {
    this.onMsg = callback;
  }

  on_close(callback) {
    this.onClose = callback;
  }
}
