// Search inside the roadmap and the filters, with JavaScript on and off (both live in the URL).
import { expect, markInPanel, open, test, topicItem } from "./support";

test("search finds a topic by a word from its explanation", async ({ page }, info) => {
  await open(page, "/roadmaps/backend", info);
  const search = page.getByRole("search");
  await search.getByLabel("Search this roadmap").fill("write skew");
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\?q=write\+skew$/);
  const results = page.getByTestId("search-results");
  await expect(results).toContainText("match");
  await expect(results.getByRole("link", { name: "Transactions and isolation" })).toBeVisible();
  await expect(topicItem(page, "transactions-isolation")).toHaveAttribute("data-match", "true");
  await expect(topicItem(page, "dns")).not.toHaveAttribute("data-match", "true");
  // A result opens from the keyboard, and the search stays in the address.
  await results.getByRole("link", { name: "Transactions and isolation" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/roadmaps\/backend\/transactions-isolation\?q=write\+skew$/);
  const side = page.getByRole("complementary", { name: "Transactions and isolation" });
  await expect(side.getByRole("heading", { level: 2, name: "Transactions and isolation" })).toBeVisible();
  await expect(page.getByTestId("search-results")).toBeVisible();
});

test("a search with no match says so", async ({ page }, info) => {
  await open(page, "/roadmaps/backend?q=zebra-unicorn", info);
  await expect(page.getByTestId("search-results")).toContainText("No topic matches");
});

/** Whether a box is quiet (left out by the filter, its text hidden) or shown in full. */
const quiet = async (page: import("@playwright/test").Page, id: string) =>
  topicItem(page, id).evaluate((n) => getComputedStyle(n).fontSize === "0px");

test("filters quiet what they leave out and keep the tree's shape", async ({ page }, info) => {
  await markInPanel(page, info, "dns", "Mark DNS as done", "done");
  await open(page, "/roadmaps/backend", info);
  await expect(topicItem(page, "dns")).toHaveAttribute("data-status", "done");

  const filters = page.getByRole("navigation", { name: "Filters" });
  const height = async () => (await page.getByRole("group", { name: "Skill tree: Languages" }).boundingBox())?.height;
  const before = await height();
  await filters.getByRole("link", { name: "Essentials" }).click();
  await expect(page).toHaveURL(/show=core/);
  expect(await quiet(page, "commit-hygiene")).toBe(true); // optional
  expect(await quiet(page, "python")).toBe(false); // pick one: part of the essentials
  expect(await quiet(page, "git-basics")).toBe(false);
  expect(await height()).toBe(before);

  await filters.getByRole("link", { name: "Hide done" }).click();
  await expect(page).toHaveURL(/show=hide-done/);
  expect(await quiet(page, "dns")).toBe(true);
  expect(await quiet(page, "http")).toBe(false);

  await filters.getByRole("link", { name: "My path" }).click();
  await expect(page).toHaveURL(/show=path/);
  expect(await quiet(page, "commit-hygiene")).toBe(true);
  expect(await quiet(page, "python")).toBe(false); // no language chosen yet

  await filters.getByRole("link", { name: "All topics" }).click();
  await expect(filters.getByRole("link", { name: "All topics" })).toHaveAttribute("aria-current", "true");
  expect(await quiet(page, "commit-hygiene")).toBe(false);
});

test("on a phone the trees are lists and filters take boxes out of them", async ({ page }, info) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await open(page, "/roadmaps/backend?show=core", info);
  await expect(topicItem(page, "commit-hygiene")).toBeHidden();
  const first = await topicItem(page, "how-the-internet-works").boundingBox();
  const second = await topicItem(page, "dns").boundingBox();
  // One box per row, inside the screen.
  expect(first!.width).toBeLessThanOrEqual(360);
  expect(second!.y).toBeGreaterThan(first!.y);
});
