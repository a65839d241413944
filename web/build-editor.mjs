// Builds the editor's two bundles into ../static (scripts/setup and `npm run build` call this):
// editor.js, which puts CodeMirror in place, and editor-more.js, its extras (see src/editor.js).
// The extras use editor.js's @codemirror/state and @codemirror/view, which it lends them as
// window.podlabCodeMirror: CodeMirror works only with one copy of each.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] || join(here, "..", "static");
const common = { bundle: true, format: "iife", minify: true, target: "es2020", logLevel: "warning" };

const lent = {
  name: "lent-by-editor-js",
  setup(b) {
    b.onResolve({ filter: /^@codemirror\/(state|view)$/ }, (args) => ({ path: args.path, namespace: "lent" }));
    b.onLoad({ filter: /.*/, namespace: "lent" }, (args) => ({
      contents: `module.exports = window.podlabCodeMirror.${args.path.endsWith("state") ? "state" : "view"};`,
      loader: "js",
    }));
  },
};

await build({ ...common, entryPoints: [join(here, "src", "editor.js")], outfile: join(out, "editor.js") });
await build({ ...common, entryPoints: [join(here, "src", "editor-more.js")], outfile: join(out, "editor-more.js"), plugins: [lent] });
