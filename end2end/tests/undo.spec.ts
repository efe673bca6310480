// Undo: after a status change the notice offers "Undo" for a while (with JavaScript), and the
// topic's panel offers the status before with one click (with and without JavaScript).
import { type Page } from "@playwright/test";
import { expect, jsEnabled, markInPanel, open, test, topicItem } from "./support";

const panel = (page: Page, title: string) => page.getByRole("complementary", { name: title, exact: true });

test("the panel puts a topic back as it was before the last change", async ({ page }, info) => {
  await markInPanel(page, info, "dns", "Mark DNS as in progress", "in_progress");
  await markInPanel(page, info, "dns", "Mark DNS as done", "done");
  const side = panel(page, "DNS");
  const back = side.getByRole("button", { name: "Undo your last change to DNS" });
  await expect(back).toBeVisible();
  await expect(back).toHaveText("Undo: back to in progress");
  const answer = jsEnabled(info) ? page.waitForResponse((r) => r.url().endsWith("/api/undo_status")) : null;
  await back.click();
  if (answer) expect((await answer).status()).toBe(200);
  else await expect(page).toHaveURL(/\/roadmaps\/backend\/dns#t-dns$/);
  await expect(topicItem(page, "dns")).toHaveAttribute("data-status", "in_progress");
  await expect(panel(page, "DNS").getByRole("button", { name: "Undo your last change to DNS" })).toBeHidden();
  await page.reload();
  await expect(topicItem(page, "dns")).toHaveAttribute("data-status", "in_progress");
  // One more undo would only go further back than the learner asked: nothing is offered.
  await expect(panel(page, "DNS").getByRole("button", { name: "Undo your last change to DNS" })).toBeHidden();
});

test("with JavaScript the notice offers Undo after a change, back to not started", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "the notice is the page's script");
  await markInPanel(page, info, "http", "Mark HTTP as skipped", "skipped");
  const notice = page.getByRole("status").filter({ hasText: "HTTP: skipped." });
  await expect(notice).toBeVisible();
  const answer = page.waitForResponse((r) => r.url().endsWith("/api/undo_status"));
  await notice.getByRole("button", { name: "Undo" }).click();
  expect((await answer).status()).toBe(200);
  await expect(topicItem(page, "http")).toHaveAttribute("data-status", "none");
  await expect(notice).toHaveCount(0);
  await page.reload();
  await expect(topicItem(page, "http")).toHaveAttribute("data-status", "none");
  await open(page, "/roadmaps/backend/http", info);
  await expect(panel(page, "HTTP").getByRole("button", { name: "Undo your last change to HTTP" })).toBeHidden();
});
