// Bundles the front end into jupylabel/static/ (an ESM file plus its CSS per entry), the way the model
// anywidget projects do. Run through `npm run build` (the wheel's build hook calls it) or
// `npm run dev` for a watching build with inline source maps (pair it with ANYWIDGET_HMR=1).
import * as esbuild from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const watch = process.argv.includes("--watch");

const options = {
  // widget: the anywidget module for notebooks; page: the server's labeling page (same app,
  // HTTP transport); webapp: the web app of `jupylabel serve` (/app), built from the same parts.
  entryPoints: { widget: path.join(here, "index.js"), page: path.join(here, "page.js"),
    webapp: path.join(here, "webapp.js") },
  outdir: path.join(here, "..", "static"),
  bundle: true,
  format: "esm",
  target: ["es2020"],
  minify: !watch,
  sourcemap: watch ? "inline" : false,
  // UMD code that probes for RequireJS breaks in VS Code's renderer (anywidget#369).
  define: { "define.amd": "false" },
  legalComments: "eof",
  logLevel: "info",
};

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
}
