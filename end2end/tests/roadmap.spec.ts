// Browsing and marking progress, with JavaScript on and off.
import { expect, jsEnabled, open, saved, test, topicItem } from "./support";

test("the home page leads to the back-end roadmap", async ({ page }, info) => {
  await open(page, "/", info);
  await page.getByRole("link", { name: "Back-end developer" }).click();
  await expect(page).toHaveURL(/\/roadmaps\/backend$/);
  await expect(page.getByRole("heading", { level: 1, name: "Back-end developer" })).toBeVisible();
});

test("the roadmap shows every topic, grouped by section", async ({ page }, info) => {
  await open(page, "/roadmaps/backend", info);
  await expect(page.getByRole("heading", { level: 2, name: "Foundations" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Career" })).toBeVisible();
  expect(await page.locator(".skill-tree .node[id^=\"t-\"]").count()).toBeGreaterThanOrEqual(160);
  // The per-topic buttons live in each topic's panel, not under the trees.
  await expect(page.getByRole("button", { name: /^Mark / })).toHaveCount(0);
  // The first screen shows the trees at a glance and where to start.
  await expect(page.getByRole("navigation", { name: "Skill trees" }).getByRole("link")).toHaveCount(16);
  await expect(page.getByRole("region", { name: /what to learn next/ })).toContainText("Start here");
  // A page a browser lays out quickly (Lighthouse flags more than 1,400 elements).
  expect(await page.evaluate(() => document.getElementsByTagName("*").length)).toBeLessThanOrEqual(1500);
  await expect(topicItem(page, "dns")).toHaveAttribute("data-status", "none");
  await expect(page.getByTestId("progress-text")).toContainText("0 of");
});

test("marking a topic done survives a reload and stays in this browser", async ({ page, browser }, info) => {
  await open(page, "/roadmaps/backend", info);
  // A marker on the window tells whether the page was reloaded by the click.
  if (jsEnabled(info)) await page.evaluate(() => ((window as any).__sameDocument = true));

  await page.getByRole("group", { name: "Skill tree: Foundations" }).getByRole("link", { name: /^DNS/ }).click();
  const side = page.getByRole("complementary", { name: "DNS", exact: true });
  await saved(page, info, () => side.getByRole("button", { name: "Mark DNS as done", exact: true }).click());
  await expect(topicItem(page, "dns")).toHaveAttribute("data-status", "done");
  await expect(side.getByRole("button", { name: "Mark DNS as done", exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("progress-text")).toContainText("1 of");
  // One topic done is progress you can see, in the bar that stays at the top too.
  await expect(page.getByTestId("progress")).toContainText("Core path: 1% done");
  await expect(page.getByRole("navigation", { name: "Jump to a skill tree" })).toContainText("Core path 1%");
  if (jsEnabled(info)) {
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  } else {
    // Without JavaScript the answer brings the learner back to the topic's box.
    await expect(page).toHaveURL(/\/roadmaps\/backend\/dns#t-dns$/);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
  }

  await page.reload();
  await expect(topicItem(page, "dns")).toHaveAttribute("data-status", "done");

  // Another browser (a fresh context has no cookie) does not see it.
  const other = await browser.newContext({ javaScriptEnabled: jsEnabled(info) });
  const stranger = await other.newPage();
  await stranger.goto("/roadmaps/backend");
  await expect(topicItem(stranger, "dns")).toHaveAttribute("data-status", "none");
  await other.close();
});

test("every status can be set, back to not started", async ({ page }, info) => {
  await open(page, "/roadmaps/backend/http", info);
  const item = topicItem(page, "http");
  for (const [name, status] of [
    ["Mark HTTP as in progress", "in_progress"],
    ["Mark HTTP as skipped", "skipped"],
    ["Mark HTTP as not started", "none"],
  ]) {
    await saved(page, info, () => page.getByRole("button", { name, exact: true }).click(), status);
    await expect(item).toHaveAttribute("data-status", status);
  }
});
