// Addresses that are not topics.
import { expect, open, test } from "./support";

test("an unknown topic is a friendly 404 beside the roadmap", async ({ page }, info) => {
  const response = await open(page, "/roadmaps/backend/no-such-topic", info);
  expect(response?.status()).toBe(404);
  const side = page.getByRole("complementary", { name: "Topic" });
  await expect(side.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(side.getByRole("link", { name: "home page" })).toBeVisible();
});

test("an unknown roadmap is a friendly 404", async ({ page }, info) => {
  const response = await open(page, "/roadmaps/frontend-wizardry/dns", info);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Not found" })).toBeVisible();
  await expect(page.getByRole("complementary")).toHaveCount(0);
});
