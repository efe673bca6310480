// The topic panel: opened from a box, closed with Esc, deep-linked, driven by the keyboard,
// and honest when the server refuses a change.
import { type Page } from "@playwright/test";
import { expect, jsEnabled, markInPanel, open, saved, test, topicItem } from "./support";

const box = (page: Page, tree: string, name: RegExp) =>
  page.getByRole("group", { name: `Skill tree: ${tree}` }).getByRole("link", { name });
const panel = (page: Page, title: string) => page.getByRole("complementary", { name: title, exact: true });

test("a box opens its topic in a panel; Esc closes it and the focus returns to the box", async ({ page }, info) => {
  await open(page, "/roadmaps/backend?show=core", info);
  const dns = box(page, "Foundations", /^DNS/);
  await dns.click();
  await expect(page).toHaveURL(/\/roadmaps\/backend\/dns\?show=core(#t-dns)?$/);
  const side = panel(page, "DNS");
  await expect(side.getByRole("heading", { level: 2, name: "DNS" })).toBeVisible();
  await expect(side.getByRole("heading", { name: "You know this when" })).toBeVisible();
  await expect(side.getByRole("heading", { name: "Prerequisites" })).toBeVisible();
  // The roadmap stays on the page behind the panel, filter included.
  await expect(page.getByRole("group", { name: "Skill tree: Foundations" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Essentials" })).toHaveAttribute("aria-current", "true");
  await expect(page).toHaveTitle(/^DNS · backroad$/);

  if (jsEnabled(info)) {
    await expect(side.getByRole("heading", { level: 2, name: "DNS" })).toBeFocused();
    await expect(side.getByTestId("panel-keys")).toContainText("Esc");
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(/\/roadmaps\/backend\?show=core$/);
    await expect(page.getByRole("complementary")).toHaveCount(0);
    await expect(dns).toBeFocused();
    // The panel was a history entry: Back opens it again, Forward closes it.
    await page.goBack();
    await expect(panel(page, "DNS")).toBeVisible();
    await page.goForward();
    await expect(page.getByRole("complementary")).toHaveCount(0);
  } else {
    // Without JavaScript the panel is part of the page the server sent; Close is a link.
    await expect(side.getByTestId("panel-keys")).toHaveCount(0);
    await side.getByRole("link", { name: "Close" }).click();
    // Back on the roadmap, at the box the panel was opened from.
    await expect(page).toHaveURL(/\/roadmaps\/backend\?show=core#t-dns$/);
    await expect(page.getByRole("complementary")).toHaveCount(0);
  }
});

test("a deep link opens the panel over the roadmap, with its own preview tags", async ({ page }, info) => {
  const response = await open(page, "/roadmaps/backend/https-tls", info);
  expect(response?.status()).toBe(200);
  const side = panel(page, "HTTPS and TLS");
  await expect(side.getByRole("heading", { level: 2, name: "HTTPS and TLS" })).toBeVisible();
  await expect(side.getByRole("heading", { name: "Resources" })).toBeVisible();
  await expect(side.getByRole("link", { name: "HTTP", exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Back-end developer" })).toBeVisible();
  await expect(page).toHaveTitle(/HTTPS and TLS/);
  const ogTitles = page.locator('meta[property="og:title"]');
  await expect(ogTitles).toHaveCount(1);
  await expect(ogTitles).toHaveAttribute("content", /HTTPS and TLS/);

  await saved(page, info, () => side.getByRole("button", { name: "Mark HTTPS and TLS as in progress", exact: true }).click());
  await expect(side).toHaveAttribute("data-status", "in_progress");
  await expect(topicItem(page, "https-tls")).toHaveAttribute("data-status", "in_progress");
  await page.reload();
  await expect(panel(page, "HTTPS and TLS")).toHaveAttribute("data-status", "in_progress");
});

test("keyboard only: arrows move between boxes, Enter opens, D marks done, Esc goes back", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "arrow keys and shortcuts need JavaScript");
  await open(page, "/roadmaps/backend", info);
  const start = box(page, "Foundations", /^How the internet works/);
  await start.focus();
  await page.keyboard.press("ArrowRight");
  const focused = page.locator(".skill-tree a.node:focus");
  await expect(focused).toHaveCount(1);
  const id = (await focused.getAttribute("id"))?.replace(/^t-/, "");
  expect(id).toBeTruthy();
  expect(id).not.toBe("how-the-internet-works");
  await page.keyboard.press("ArrowLeft");
  await expect(start).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/roadmaps/backend/${id}$`));
  const side = page.getByRole("complementary");
  await expect(side).toHaveAttribute("data-topic-id", id!);
  await expect(side.getByRole("button", { name: /as done$/ })).toHaveAttribute("aria-keyshortcuts", "D");
  await page.keyboard.press("d");
  await expect(side).toHaveAttribute("data-status", "done");
  await expect(page.locator(`.skill-tree a.node#t-${id}`)).toHaveAttribute("data-status", "done");
  await page.keyboard.press("p");
  await expect(side).toHaveAttribute("data-status", "in_progress");
  await page.keyboard.press("r");
  await expect(side).toHaveAttribute("data-status", "none");
  await saved(page, info, () => page.keyboard.press("d"), "done");
  await expect(side).toHaveAttribute("data-status", "done");
  await page.keyboard.press("Escape");
  const boxOfIt = page.locator(`.skill-tree a.node#t-${id}`);
  await expect(boxOfIt).toBeFocused();
  // The keys work on the box that has the focus too, with no panel open.
  await page.keyboard.press("s");
  await expect(boxOfIt).toHaveAttribute("data-status", "skipped");
  await saved(page, info, () => page.keyboard.press("d"), "done");
  await page.reload();
  await expect(topicItem(page, id!)).toHaveAttribute("data-status", "done");
});

test("a change the server refuses shows at once, then is undone with a message", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "without JavaScript the page waits for the server's answer");
  await open(page, "/roadmaps/backend", info);
  await page.route("**/api/set_topic_status", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.fulfill({
      status: 503,
      contentType: "application/json",
      body: JSON.stringify({ error: "The server cannot save right now; try again in a minute.", status: 503 }),
    });
  });
  const dns = topicItem(page, "dns");
  await box(page, "Foundations", /^DNS/).click();
  await panel(page, "DNS").getByRole("button", { name: "Mark DNS as done", exact: true }).click();
  // Shown at once, before the server answers.
  await expect(dns).toHaveAttribute("data-status", "done", { timeout: 1000 });
  await expect(page.getByTestId("progress-text")).toContainText("1 of");
  // Then undone, with a sentence that says so.
  await expect(dns).toHaveAttribute("data-status", "none");
  const alert = page.getByRole("alert").first();
  await expect(alert).toContainText("not saved");
  await expect(alert).toContainText("try again in a minute");
  await expect(page.getByTestId("progress-text")).toContainText("0 of");
});

test("a panel shows the learner's own statuses, for its topic and its prerequisites", async ({ page }, info) => {
  await markInPanel(page, info, "dns", "Mark DNS as done", "done");
  await markInPanel(page, info, "web-hosting", "Mark Web hosting as in progress", "in_progress");
  await open(page, "/roadmaps/backend", info);
  // With JavaScript the panel opens in place; without, the server sends the page with it.
  await box(page, "Foundations", /^Web hosting/).click();
  await expect(page).toHaveURL(/\/roadmaps\/backend\/web-hosting(#t-web-hosting)?$/);
  const side = panel(page, "Web hosting");
  await expect(side).toHaveAttribute("data-status", "in_progress");
  await expect(side.getByRole("button", { name: "Mark Web hosting as in progress", exact: true })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await expect(side.getByRole("button", { name: "Mark Web hosting as done", exact: true })).toHaveAttribute(
    "aria-pressed",
    "false",
  );
  const prerequisite = (name: string) =>
    side.getByRole("listitem").filter({ has: page.getByRole("link", { name, exact: true }) }).locator(".status-badge");
  await expect(prerequisite("DNS")).toHaveAttribute("data-status", "done");
  await expect(prerequisite("DNS")).toContainText("done");
  await expect(prerequisite("HTTPS and TLS")).toHaveAttribute("data-status", "none");
  await expect(prerequisite("HTTPS and TLS")).toContainText("not started");
});
