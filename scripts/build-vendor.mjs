// Copy the browser builds of our npm dependencies into static/vendor/.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";

const files = {
  "htmx.org/dist/htmx.min.js": "htmx.min.js",
  "sortablejs/Sortable.min.js": "Sortable.min.js",
  "bootstrap/dist/css/bootstrap.min.css": "bootstrap.min.css",
  "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap.bundle.min.js",
  "chart.js/dist/chart.umd.min.js": "chart.umd.min.js",
};

rmSync("static/vendor", { recursive: true, force: true });
mkdirSync("static/vendor", { recursive: true });
for (const [from, to] of Object.entries(files)) {
  cpSync(`node_modules/${from}`, `static/vendor/${to}`);
}
writeFileSync("static/vendor/.built", new Date().toISOString() + "\n");
console.log(`copied ${Object.keys(files).length} files into static/vendor/`);
