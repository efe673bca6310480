// The skill-tree pictures and the "what to learn next" panel, with JavaScript on and off.
import { expect, open, test } from "./support";

test("every skill tree is drawn with a linked box per topic", async ({ page }, info) => {
  await open(page, "/roadmaps/backend", info);
  const foundations = page.getByRole("group", { name: "Skill tree: Foundations" });
  await expect(foundations.getByRole("link")).toHaveCount(9);
  const trees = page.getByRole("group", { name: /^Skill tree: / });
  await expect(trees).toHaveCount(16);
  const boxes = await trees.getByRole("link").count();
  expect(boxes).toBeGreaterThanOrEqual(160);
  // A box is a link to its topic.
  await foundations.getByRole("link", { name: /^DNS/ }).click();
  await expect(page).toHaveURL(/\/roadmaps\/backend\/dns(#t-dns)?$/);
  await expect(page.getByRole("complementary", { name: "DNS" }).getByRole("heading", { name: "DNS" })).toBeVisible();
});

test("alternatives of a group sit inside one 'pick one' frame", async ({ page }, info) => {
  await open(page, "/roadmaps/backend", info);
  const frame = page.locator('.group-frame[data-group="language"]');
  await expect(frame).toHaveCount(1);
  await expect(frame).toContainText("Pick one");
  const f = (await frame.boundingBox())!;
  // Every box inside the frame is an alternative of the group; the frame holds at least two.
  const inside = await page.locator(".skill-tree a.node").evaluateAll(
    (nodes, f) =>
      nodes
        .filter((n) => {
          const r = n.getBoundingClientRect();
          return r.left >= f.x && r.right <= f.x + f.width && r.top >= f.y && r.bottom <= f.y + f.height;
        })
        .map((n) => n.getAttribute("data-kind")),
    f,
  );
  expect(inside.length).toBeGreaterThanOrEqual(2);
  expect(new Set(inside)).toEqual(new Set(["alternative"]));
});

test("finishing a topic unlocks what comes next", async ({ page }, info) => {
  await open(page, "/roadmaps/backend", info);
  const next = page.getByRole("region", { name: "What to learn next" });
  await expect(next.getByRole("link", { name: "How the internet works" })).toBeVisible();
  await expect(next.getByRole("link", { name: "DNS", exact: true })).toHaveCount(0);

  await page
    .getByRole("group", { name: "Skill tree: Foundations" })
    .getByRole("link", { name: /^How the internet works/ })
    .click();
  await page
    .getByRole("complementary")
    .getByRole("button", { name: "Mark How the internet works as done", exact: true })
    .click();
  await expect(next).toContainText("Up next");

  await expect(next.getByRole("link", { name: "DNS", exact: true })).toBeVisible();
  await expect(next.getByRole("link", { name: "HTTP", exact: true })).toBeVisible();
  await expect(next.getByRole("link", { name: "How the internet works" })).toHaveCount(0);
  const box = page.getByRole("group", { name: "Skill tree: Foundations" }).getByRole("link", { name: /^How the internet works/ });
  await expect(box).toHaveAttribute("data-status", "done");
  await expect(page.getByTestId("section-progress-foundations")).toHaveText("1 of 9 done");
  // The tree's tile at the top follows: one done, fewer hours left, still something to start.
  const tile = page.getByRole("navigation", { name: "Skill trees" }).getByRole("link", { name: /^Foundations/ });
  await expect(tile).toContainText("1 / 9");
  await expect(tile).toHaveAttribute("data-next", "true");
});

test("boxes say at a glance what is done and what can start now", async ({ page }, info) => {
  await open(page, "/roadmaps/backend", info);
  const start = page.locator('.skill-tree .node#t-how-the-internet-works');
  await expect(start).toHaveAttribute("data-next", "true");
  await expect(page.locator('.skill-tree .node#t-dns')).toHaveAttribute("data-next", "false");
  // Every title is whole: the status line under it still fits inside its box.
  const cut = await page.locator(".skill-tree .node .node-label").evaluateAll((labels) =>
    labels
      .filter((l) => {
        const box = (l as HTMLElement).closest(".node") as HTMLElement;
        return l.getBoundingClientRect().bottom > box.getBoundingClientRect().bottom - 2;
      })
      .map((l) => (l as HTMLElement).closest(".node")?.id),
  );
  expect(cut).toEqual([]);
  // Edges end in arrowheads.
  const marker = await page.locator(".skill-tree .edges path").first().evaluate((e) => getComputedStyle(e).markerEnd);
  expect(marker).toContain("#arrow");
});
