// `make bench`: milliseconds from navigation start to the app hydrated (the page sets
// body[data-hydrated]), in Debian's Chromium with a cold cache; prints the median of five,
// then the bytes the first (cold) visit fetched in all and of them the WebAssembly (bodies as
// sent, i.e. compressed), so split-off code the page loads is counted too.
// Run from end2end/ (where playwright-core is installed): node ../benches/hydrate.mjs URL
import { createRequire } from "node:module";

// Resolve Playwright from the working directory (end2end/), not from this file's folder.
const { chromium } = createRequire(`${process.cwd()}/`)("@playwright/test");

const url = process.argv[2];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const runs = [];
let fetched = null;
for (let i = 0; i < 5; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  // The page notes the moment itself, so polling does not add to the figure.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.body?.dataset.hydrated === "true") {
        window.__hydratedAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-hydrated"] });
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__hydratedAt !== undefined, null, { timeout: 30_000 });
  runs.push(await page.evaluate(() => window.__hydratedAt));
  if (fetched === null) {
    fetched = await page.evaluate(() => {
      const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
      const total = entries.reduce((sum, e) => sum + e.encodedBodySize, 0);
      const wasm = entries.filter((e) => e.name.endsWith(".wasm")).reduce((sum, e) => sum + e.encodedBodySize, 0);
      return { total, wasm };
    });
  }
  await context.close();
}
await browser.close();
runs.sort((a, b) => a - b);
console.log(`${runs[2].toFixed(1)} ${fetched.total} ${fetched.wasm}`);
