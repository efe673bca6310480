// Automated accessibility check (axe-core) of the main pages, in both themes.
import * as path from "node:path";
import { expect, jsEnabled, open, test } from "./support";

const axePath = path.join(__dirname, "..", "node_modules", "axe-core", "axe.min.js");

// axe-core is injected as an inline script, which the page's Content-Security-Policy refuses
// (as it should); the checker alone is let past it.
test.use({ bypassCSP: true });

for (const colorScheme of ["light", "dark"] as const) {
  for (const path of ["/", "/roadmaps/backend", "/roadmaps/backend/https-tls", "/roadmaps/backend?q=cache&show=core"]) {
    test(`${path} has no serious accessibility violations (${colorScheme})`, async ({ page }, info) => {
      // axe-core runs as a script inside the page; the server-rendered DOM is the same either way.
      test.skip(!jsEnabled(info), "axe-core needs JavaScript in the page");
      await page.emulateMedia({ colorScheme });
      await open(page, path, info);
      await page.addScriptTag({ path: axePath });
      const violations = await page.evaluate(async () => {
        const result = await (window as any).axe.run(document, { resultTypes: ["violations"] });
        return result.violations
          .filter((v: any) => v.impact === "serious" || v.impact === "critical")
          .map((v: any) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n: any) => n.target.join(" ")).join(", ")}`);
      });
      expect(violations).toEqual([]);
    });
  }
}
