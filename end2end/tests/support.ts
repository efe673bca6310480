// Helpers shared by the specs.
import { expect, type Page, type TestInfo } from "@playwright/test";

export const jsEnabled = (info: TestInfo) => info.project.name === "javascript";

/** Opens a page and, with JavaScript on, waits until the app has hydrated. */
export async function open(page: Page, path: string, info: TestInfo) {
  const response = await page.goto(path);
  if (jsEnabled(info)) {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  }
  return response;
}

/** The element that carries a topic's status on a roadmap page. */
export const topicItem = (page: Page, id: string) => page.locator(`li.topic[data-topic-id="${id}"]`);
