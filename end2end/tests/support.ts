// Helpers shared by the specs.
import { test as base, expect, type Page, type TestInfo } from "@playwright/test";

export { expect };

/**
 * Every spec's `test`: it also fails when the page throws or logs an error. A hydration panic
 * shows up only there, while a plain form can still make the page look right.
 */
export const test = base.extend<{ browserErrors: void }>({
  browserErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
      page.on("console", (m) => {
        // A status the test asked for (404 page, refused change) is logged as a failed load.
        if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(`${m.text()} (at ${page.url()})`);
      });
      await use();
      expect(errors, "errors in the browser console").toEqual([]);
    },
    { auto: true },
  ],
});

export const jsEnabled = (info: TestInfo) => info.project.name === "javascript";

/** Opens a page and, with JavaScript on, waits until the app has hydrated. */
export async function open(page: Page, path: string, info: TestInfo) {
  const response = await page.goto(path);
  if (jsEnabled(info)) {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  }
  return response;
}

/** The element that carries a topic's status on a roadmap page: its box in the skill tree. */
export const topicItem = (page: Page, id: string) => page.locator(`.skill-tree .node#t-${id}`);

/** Opens a topic's panel by its address and presses one of its status buttons. */
export async function markInPanel(page: Page, info: TestInfo, topic: string, name: string, status?: string) {
  await open(page, `/roadmaps/backend/${topic}`, info);
  const button = page.getByRole("complementary").getByRole("button", { name, exact: true });
  await saved(page, info, () => button.click(), status);
  await expect(button).toHaveAttribute("aria-pressed", "true");
}

/**
 * Runs `act`, which changes a status, and with JavaScript on waits for the server's answer:
 * the page shows the change at once, but a reload or navigation before the answer would
 * cancel the request (and a first-time visitor's identity cookie with it).
 */
export async function saved(page: Page, info: TestInfo, act: () => Promise<unknown>, status?: string) {
  if (!jsEnabled(info)) {
    await act();
    return;
  }
  // Earlier changes may still be answered; wait for this one (by its status when given).
  const answer = page.waitForResponse(
    (r) =>
      r.url().endsWith("/api/set_topic_status") &&
      (status === undefined || (r.request().postData() ?? "").includes(`status=${status}`)),
  );
  await act();
  expect((await answer).status()).toBe(200);
}
