// Theme choice and small screens, with JavaScript on and off.
import { expect, open, test } from "./support";

test("the dark theme persists across a reload", async ({ page }, info) => {
  await open(page, "/roadmaps/backend", info);
  const html = page.locator("html");
  await expect(html).toHaveAttribute("data-theme", "system");
  await page.getByRole("button", { name: "Dark theme" }).click();
  await expect(html).toHaveAttribute("data-theme", "dark");
  await expect(page.getByRole("button", { name: "Dark theme" })).toHaveAttribute("aria-pressed", "true");
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe("rgb(21, 23, 27)");
  await page.reload();
  await expect(html).toHaveAttribute("data-theme", "dark");
  await page.getByRole("button", { name: "Light theme" }).click();
  await expect(html).toHaveAttribute("data-theme", "light");
});

test("at 360 px the page itself does not scroll sideways", async ({ page }, info) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ["/", "/roadmaps/backend", "/roadmaps/backend/https-tls"]) {
    await open(page, path, info);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
  // Status buttons and list rows stay comfortable to tap.
  await open(page, "/roadmaps/backend/dns", info);
  const button = await page.getByRole("button", { name: "Mark DNS as done", exact: true }).boundingBox();
  expect(button?.height ?? 0).toBeGreaterThanOrEqual(44);
  await open(page, "/roadmaps/backend", info);
  const row = await page.locator('.skill-tree .node#t-dns').boundingBox();
  expect(row?.height ?? 0).toBeGreaterThanOrEqual(44);
  // A topic's panel takes the whole width of a phone, and Close is easy to tap.
  await open(page, "/roadmaps/backend/https-tls", info);
  const panel = await page.getByRole("complementary", { name: "HTTPS and TLS" }).boundingBox();
  expect(panel?.width ?? 0).toBeGreaterThanOrEqual(355);
  const close = await page.getByRole("link", { name: "Close" }).boundingBox();
  expect(close?.height ?? 0).toBeGreaterThanOrEqual(44);
});
