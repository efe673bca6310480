// Accounts, share links and export/import, with JavaScript on and off.
import type { Browser, Page, TestInfo } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { expect, jsEnabled, markInPanel, open, test, topicItem } from "./support";

const PASSWORD = "river stone lantern";

/** A username no other test (or project) uses in this run. */
const uniqueName = (info: TestInfo, what: string) =>
  `${what}_${info.project.name.slice(0, 2)}_${Date.now().toString(36)}`.slice(0, 32);

async function mark(page: Page, info: TestInfo, name: string, topic: string, status: string) {
  await markInPanel(page, info, topic, name, status);
  await expect(topicItem(page, topic)).toHaveAttribute("data-status", status);
}

async function freshPage(browser: Browser, info: TestInfo) {
  const context = await browser.newContext({ javaScriptEnabled: jsEnabled(info) });
  return { context, page: await context.newPage() };
}

test("signing up keeps the progress made before, and signing in elsewhere brings it along", async ({ page, browser }, info) => {
  await mark(page, info, "Mark DNS as done", "dns", "done");
  const username = uniqueName(info, "ada");
  await open(page, "/signup", info);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account\?welcome=signup&kept=1$/);
  await expect(page.getByRole("status").filter({ hasText: "Account created" })).toContainText("The 1 status(es)");
  await expect(page.getByTestId("username")).toHaveText(username);
  await open(page, "/roadmaps/backend", info);
  await expect(topicItem(page, "dns")).toHaveAttribute("data-status", "done");

  // Another device: what it marked before signing in is merged in.
  const other = await freshPage(browser, info);
  await mark(other.page, info, "Mark HTTP as in progress", "http", "in_progress");
  await open(other.page, "/login", info);
  await other.page.getByLabel("Username").fill(username.toUpperCase());
  await other.page.getByLabel("Password").fill(PASSWORD);
  await other.page.getByRole("button", { name: "Sign in" }).click();
  await expect(other.page.getByRole("status").filter({ hasText: "Signed in" })).toContainText("1 status(es) from this browser were merged");
  await open(other.page, "/roadmaps/backend", info);
  await expect(topicItem(other.page, "dns")).toHaveAttribute("data-status", "done");
  await expect(topicItem(other.page, "http")).toHaveAttribute("data-status", "in_progress");

  // A wrong password is refused with a sentence.
  const third = await freshPage(browser, info);
  await open(third.page, "/login", info);
  await third.page.getByLabel("Username").fill(username);
  await third.page.getByLabel("Password").fill("not my password");
  await third.page.getByRole("button", { name: "Sign in" }).click();
  await expect(third.page.getByRole("alert")).toContainText("do not match an account");

  // Signing out ends the session: the roadmap shows nothing marked any more.
  await open(other.page, "/account", info);
  await other.page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(other.page.getByRole("status").filter({ hasText: "Signed out" })).toBeVisible();
  await open(other.page, "/roadmaps/backend", info);
  await expect(topicItem(other.page, "dns")).toHaveAttribute("data-status", "none");
  await other.context.close();

  // The account lists its signed-in devices; "Sign out everywhere else" ends the others.
  await open(third.page, "/login", info);
  await third.page.getByLabel("Username").fill(username);
  await third.page.getByLabel("Password").fill(PASSWORD);
  await third.page.getByRole("button", { name: "Sign in" }).click();
  await expect(third.page.getByTestId("username")).toHaveText(username);
  await open(page, "/account", info);
  await expect(page.getByRole("heading", { name: "Signed-in devices" })).toBeVisible();
  await expect(page.getByTestId("device")).toHaveCount(2);
  await expect(page.getByTestId("device").first()).toContainText("(this device)");
  await page.getByRole("button", { name: "Sign out everywhere else (1)" }).click();
  if (jsEnabled(info)) {
    await expect(page.getByRole("status").filter({ hasText: "Signed out on 1 other device" })).toBeVisible();
  }
  await expect(page.getByTestId("device")).toHaveCount(1);
  await open(third.page, "/roadmaps/backend", info);
  await expect(topicItem(third.page, "dns")).toHaveAttribute("data-status", "none");
  await open(page, "/roadmaps/backend", info);
  await expect(topicItem(page, "dns")).toHaveAttribute("data-status", "done");
  await third.context.close();
});

test("a share link opens read-only in a fresh browser until it is revoked", async ({ page, browser }, info) => {
  await mark(page, info, "Mark HTTP as done", "http", "done");
  await open(page, "/account", info);
  await page.getByRole("button", { name: "Create a share link for Back-end developer" }).click();
  // With JavaScript the answer shows in place (the forms' code is loaded before the page
  // counts as hydrated); without, the page comes back with the new link in the list.
  if (jsEnabled(info)) await expect(page.getByRole("status")).toContainText("New link: ");
  const link = page.locator("li.share-link a").first();
  await expect(link).toBeVisible();
  const url = (await link.getAttribute("href")) ?? "";
  expect(url).toMatch(/\/s\/[0-9a-f]{32}$/);

  const viewer = await freshPage(browser, info);
  await viewer.page.goto(url);
  await expect(viewer.page.getByRole("heading", { level: 1 })).toContainText("A learner’s progress");
  await expect(topicItem(viewer.page, "http")).toHaveAttribute("data-status", "done");
  await expect(viewer.page.getByRole("button", { name: /^Mark / })).toHaveCount(0);
  // Someone else's boxes lead nowhere: a click must not open the viewer's own roadmap.
  const tree = viewer.page.getByRole("group", { name: "Skill tree: Foundations" });
  await expect(tree.getByRole("link")).toHaveCount(0);
  await topicItem(viewer.page, "http").click();
  await expect(viewer.page).toHaveURL(url);
  const badge = await viewer.page.request.get(`${url}/badge.svg`);
  expect(badge.headers()["content-type"]).toContain("image/svg+xml");

  await page.getByRole("button", { name: `Revoke the link ${url}` }).click();
  await expect(page.locator("li.share-link")).toHaveCount(0);
  const gone = await viewer.page.goto(url);
  expect(gone?.status()).toBe(404);
  await expect(viewer.page.getByText("does not exist or was revoked")).toBeVisible();
  await viewer.context.close();
});

test("an export imported into a fresh browser reproduces the statuses", async ({ page, browser }, info) => {
  await mark(page, info, "Mark DNS as done", "dns", "done");
  await mark(page, info, "Mark Git basics as skipped", "git-basics", "skipped");
  await open(page, "/account", info);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download my progress (JSON)" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^backroad-progress-\d{4}-\d{2}-\d{2}\.json$/);
  const text = await readFile((await download.path()) ?? "", "utf8");

  const fresh = await freshPage(browser, info);
  await open(fresh.page, "/account", info);
  await fresh.page.getByLabel("Import: paste the contents of an export file").fill(text);
  await fresh.page.getByRole("button", { name: "Import", exact: true }).click();
  if (jsEnabled(info)) await expect(fresh.page.getByRole("status")).toContainText("Imported 2 status(es).");
  else await expect(fresh.page.getByLabel("Import: paste the contents of an export file")).toHaveValue("");
  await open(fresh.page, "/roadmaps/backend", info);
  await expect(topicItem(fresh.page, "dns")).toHaveAttribute("data-status", "done");
  await expect(topicItem(fresh.page, "git-basics")).toHaveAttribute("data-status", "skipped");

  // Reset asks first, then clears the roadmap.
  await open(fresh.page, "/account", info);
  await fresh.page.getByText("Reset my progress on Back-end developer…").click();
  await fresh.page.getByRole("button", { name: "Yes, delete 2 status(es)" }).click();
  await expect(fresh.page.getByText("Reset my progress on Back-end developer…")).toHaveCount(0);
  await open(fresh.page, "/roadmaps/backend", info);
  await expect(topicItem(fresh.page, "dns")).toHaveAttribute("data-status", "none");
  await fresh.context.close();
});
