// Builds the client page's script and stylesheet into coachkit/web/static/client/ (checked in, so
// `make serve` needs no Node). Names carry a hash of their content; manifest.json says which are current.
// Each file is also written compressed (.br, .gz), once, for the server to send as the browser accepts.
import { build } from "esbuild";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";

const OUT = new URL("../coachkit/web/static/client/", import.meta.url).pathname;

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const result = await build({
  entryPoints: { client: "src/main.js", "client-style": "src/client.css" },
  bundle: true,
  splitting: true,
  format: "esm",
  minify: true,
  target: "es2020",
  outdir: OUT,
  entryNames: "[name]-[hash]",
  chunkNames: "chunk-[hash]",
  assetNames: "[name]-[hash]",
  // sanitize-html (htmlparser2, postcss) is answered by DOMPurify, jQuery by a wrapper: see each file.
  alias: { "sanitize-html": "./src/sanitize.js", jquery: "./src/element.js" },
  define: { "process.env.NODE_ENV": '"production"' },
  loader: { ".woff": "file", ".woff2": "file", ".svg": "file" },
  legalComments: "none",  // every bundled package's licence, whole, is in THIRD-PARTY-LICENSES.txt
  metafile: true,
  logLevel: "warning",
});
const manifest = {};
for (const [path, output] of Object.entries(result.metafile.outputs)) {
  if (output.entryPoint === "src/main.js") manifest.js = basename(path);
  if (output.entryPoint === "src/client.css") manifest.css = basename(path);
}
// Every chunk a page loads at once (all but the rest of ipywidgets' controls, loaded only if a page
// shows a widget the bundle lacks): named in the page's head, so the browser fetches them together.
const LAZY = "node_modules/@jupyter-widgets/controls/lib/index.js";
const outputs = result.metafile.outputs;
const preload = new Set();
const visit = (path) => {
  for (const { path: next } of outputs[path].imports) {
    if (next in outputs && !preload.has(next) && outputs[next].entryPoint !== LAZY) {
      preload.add(next);
      visit(next);
    }
  }
};
visit(Object.keys(outputs).find((path) => outputs[path].entryPoint === "src/main.js"));
manifest.preload = Array.from(preload, (path) => basename(path)).sort();
writeFileSync(join(OUT, "manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
for (const name of readdirSync(OUT)) {
  if (!/\.(js|css)$/.test(name)) continue;
  const body = readFileSync(join(OUT, name));
  const brotli = { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } };
  writeFileSync(join(OUT, `${name}.br`), brotliCompressSync(body, brotli));
  writeFileSync(join(OUT, `${name}.gz`), gzipSync(body, { level: 9 }));
}
// The licence of every package whose code is in the built files, as each package ships it.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/^node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match) packages.set(match[1], join("node_modules", match[1]));
}
const notices = [];
for (const [name, folder] of [...packages].sort()) {
  const info = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
  const file = readdirSync(folder).find((entry) => /^(licen[sc]e|copying)/i.test(entry));
  // ipywidgets' packages ship no licence file of their own: theirs is the ipywidgets repository's.
  const own = name.startsWith("@jupyter-widgets/") ? "licenses/jupyter-widgets.txt" : null;
  const path = file ? join(folder, file) : own;
  const author = typeof info.author === "string" ? info.author : (info.author || {}).name;
  const source = typeof info.repository === "string" ? info.repository : (info.repository || {}).url;
  const text = path
    ? readFileSync(path, "utf8").trim()
    : [`License: ${info.license}`, author && `Copyright: ${author}`, source && `Source: ${source}`]
        .filter(Boolean).join("\n");
  notices.push(`${name} ${info.version} (${info.license})\n\n${text}\n`);
}
writeFileSync(join(OUT, "THIRD-PARTY-LICENSES.txt"), notices.join("\n" + "-".repeat(72) + "\n\n"));
console.log(manifest);
