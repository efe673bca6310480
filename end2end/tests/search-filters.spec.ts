// Search inside the roadmap and the filters, with JavaScript on and off (both live in the URL).
import { expect, open, test, topicItem } from "./support";

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

test("filters hide what they say", async ({ page }, info) => {
  await open(page, "/roadmaps/backend", info);
  await page.getByRole("button", { name: "Mark DNS as done", exact: true }).click();
  await expect(topicItem(page, "dns")).toHaveAttribute("data-status", "done");

  const filters = page.getByRole("navigation", { name: "Filters" });
  await filters.getByRole("link", { name: "Core only" }).click();
  await expect(page).toHaveURL(/show=core/);
  await expect(topicItem(page, "commit-hygiene")).toBeHidden(); // optional
  await expect(topicItem(page, "python")).toBeHidden(); // alternative
  await expect(topicItem(page, "git-basics")).toBeVisible();

  await filters.getByRole("link", { name: "Hide done" }).click();
  await expect(topicItem(page, "dns")).toBeHidden();
  await expect(topicItem(page, "http")).toBeVisible();

  await filters.getByRole("link", { name: "My path" }).click();
  await expect(topicItem(page, "commit-hygiene")).toBeHidden();
  await expect(topicItem(page, "python")).toBeVisible(); // no language chosen yet

  await filters.getByRole("link", { name: "All topics" }).click();
  await expect(topicItem(page, "commit-hygiene")).toBeVisible();
  await expect(filters.getByRole("link", { name: "All topics" })).toHaveAttribute("aria-current", "true");
});
