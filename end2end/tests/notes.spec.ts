// Private notes: written in a topic's panel, saved (in place with JavaScript, by a plain form
// without it), shown after a reload, marked on the topic's box, found by a search, and never
// lost on a refused save.
import { type Page } from "@playwright/test";
import { expect, jsEnabled, open, test, topicItem } from "./support";

const panel = (page: Page, title: string) => page.getByRole("complementary", { name: title, exact: true });

test("a note is saved, shown after a reload and marked on its box", async ({ page }, info) => {
  await open(page, "/roadmaps/backend/dns", info);
  const side = panel(page, "DNS");
  const editor = side.getByRole("textbox", { name: "Private note on DNS" });
  await expect(editor).toBeEmpty();
  await editor.fill("Follow a lookup with `dig +trace`: **wombat** servers.\n\nSecond line.");
  const saving = jsEnabled(info) ? page.waitForResponse((r) => r.url().endsWith("/api/set_note")) : null;
  await side.getByRole("button", { name: "Save note" }).click();
  if (saving) {
    expect((await saving).status()).toBe(200);
    await expect(side.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    // Saved in place: the page did not reload, the box is marked at once.
    await expect(page).toHaveURL(/\/roadmaps\/backend\/dns$/);
  } else {
    // Without JavaScript the form comes back to the note in the panel.
    await expect(page).toHaveURL(/\/roadmaps\/backend\/dns#note-dns$/);
  }
  await expect(side.locator(".note-view strong")).toHaveText("wombat");
  await expect(side.locator(".note-view code")).toHaveText("dig +trace");
  await expect(topicItem(page, "dns")).toHaveAttribute("data-note", "1");
  await expect(topicItem(page, "http")).toHaveAttribute("data-note", "");

  await page.reload();
  const again = panel(page, "DNS");
  await expect(again.getByRole("textbox", { name: "Private note on DNS" })).toHaveValue(
    "Follow a lookup with `dig +trace`: **wombat** servers.\n\nSecond line.",
  );
  await expect(again.locator(".note-view strong")).toHaveText("wombat");

  // A search finds it, marked as the learner's own note.
  await open(page, "/roadmaps/backend?q=wombat", info);
  const results = page.getByTestId("search-results");
  await expect(results).toContainText("Found in your notes:");
  await expect(results.getByRole("link", { name: "DNS" })).toBeVisible();
  await expect(results).toContainText("in your note");
  await expect(topicItem(page, "dns")).toHaveAttribute("data-note", "1");
});

test("with JavaScript a note opens with its panel in place and a refused save keeps the text", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "saving in place and panels opened in place need JavaScript");
  await open(page, "/roadmaps/backend/http", info);
  const side = panel(page, "HTTP");
  await side.getByRole("textbox", { name: "Private note on HTTP" }).fill("numbat: methods and status codes");
  const saving = page.waitForResponse((r) => r.url().endsWith("/api/set_note"));
  await side.getByRole("button", { name: "Save note" }).click();
  expect((await saving).status()).toBe(200);
  await expect(side.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

  // Another panel, then back to this one, opened in place: the note comes with it.
  await side.getByRole("link", { name: "Close" }).click();
  await expect(page.getByRole("complementary")).toHaveCount(0);
  await page.locator(".skill-tree a.node#t-http").click();
  const reopened = panel(page, "HTTP");
  await expect(reopened.getByRole("textbox", { name: "Private note on HTTP" })).toHaveValue(
    "numbat: methods and status codes",
  );
  await expect(reopened.locator(".note-view")).toContainText("numbat");

  // The server cannot be reached: the editor keeps what was typed and says so.
  await page.route("**/api/set_note", (route) => route.abort());
  const editor = reopened.getByRole("textbox", { name: "Private note on HTTP" });
  await editor.fill("numbat, rewritten while offline");
  await reopened.getByRole("button", { name: "Save note" }).click();
  await expect(reopened.getByRole("status").filter({ hasText: "Not saved" })).toBeVisible();
  await expect(editor).toHaveValue("numbat, rewritten while offline");
  await page.unroute("**/api/set_note");
  await page.reload();
  await expect(panel(page, "HTTP").locator(".note-view")).toHaveText("numbat: methods and status codes");
});

test("an empty note deletes it and its mark", async ({ page }, info) => {
  await open(page, "/roadmaps/backend/rest", info);
  const side = panel(page, "REST and resource-oriented HTTP APIs");
  const editor = side.getByRole("textbox", { name: /^Private note on REST/ });
  await editor.fill("quoll");
  const save = async () => {
    const saving = jsEnabled(info) ? page.waitForResponse((r) => r.url().endsWith("/api/set_note")) : null;
    await panel(page, "REST and resource-oriented HTTP APIs").getByRole("button", { name: "Save note" }).click();
    if (saving) expect((await saving).status()).toBe(200);
  };
  await save();
  await expect(topicItem(page, "rest")).toHaveAttribute("data-note", "1");
  await panel(page, "REST and resource-oriented HTTP APIs").getByRole("textbox", { name: /^Private note on REST/ }).fill("");
  await save();
  if (jsEnabled(info)) await expect(side.getByRole("status").filter({ hasText: "Note deleted." })).toBeVisible();
  await expect(topicItem(page, "rest")).toHaveAttribute("data-note", "");
  await page.reload();
  await expect(panel(page, "REST and resource-oriented HTTP APIs").locator(".note-view")).toBeEmpty();
});
