// Topic deep links and the not-found page.
import { expect, test } from "@playwright/test";
import { open } from "./support";

test("a topic deep link shows the whole topic and its controls", async ({ page }, info) => {
  const response = await open(page, "/roadmaps/backend/https-tls", info);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "HTTPS and TLS" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "You know this when" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Resources" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Prerequisites" })).toBeVisible();
  await expect(page.getByRole("link", { name: "HTTP", exact: true })).toBeVisible();
  await expect(page).toHaveTitle(/HTTPS and TLS/);

  await page.getByRole("button", { name: "Mark HTTPS and TLS as in progress", exact: true }).click();
  const article = page.getByRole("article");
  await expect(article).toHaveAttribute("data-status", "in_progress");
  await page.reload();
  await expect(page.getByRole("article")).toHaveAttribute("data-status", "in_progress");
});

test("an unknown topic is a friendly 404", async ({ page }, info) => {
  const response = await open(page, "/roadmaps/backend/no-such-topic", info);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "home page" })).toBeVisible();
});
