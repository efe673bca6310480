// What changed since your last visit: a learner with a finished topic visits, the content is
// revised (this spec starts its own server twice on one data folder: first on a copy of the
// content, then on the same copy with a revision dated today), and on return the roadmap page
// says what changed and marks the topic until the learner opens it. JavaScript on and off.
import { spawn, type ChildProcess } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import type { Page, TestInfo } from "@playwright/test";
import { expect, jsEnabled, test } from "./support";

const repo = path.resolve(__dirname, "../..");
const today = new Date().toISOString().slice(0, 10);

/** Starts the release server on `port` with its data in `data` and content from `content`. */
async function start(port: number, data: string, content: string): Promise<ChildProcess> {
  const server = spawn(path.join(repo, "target/release/backroad"), [], {
    cwd: repo,
    env: {
      ...process.env,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      BACKROAD_DATA_DIR: data,
      BACKROAD_CONTENT_DIR: content,
      // A second away is a new visit here (30 minutes on a real server).
      BACKROAD_VISIT_GAP_SECONDS: "1",
      RUST_LOG: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill("SIGKILL");
  throw new Error(`the server on port ${port} did not start`);
}

async function stop(server: ChildProcess) {
  const exited = new Promise((r) => server.once("exit", r));
  server.kill("SIGTERM");
  await exited;
}

/** Gives `topic` a revision dated today in the content folder's copy of `file`. */
async function revise(content: string, file: string, topic: string, note: string) {
  const at = path.join(content, "backend", file);
  const text = await readFile(at, "utf8");
  const start = text.indexOf(`\nid = "${topic}"\n`);
  const aliases = text.indexOf("\naliases = ", start) + 1;
  const end = text.indexOf("\n", aliases) + 1;
  expect(text.slice(end).startsWith("history"), `${topic} has no history yet`).toBe(false);
  const line = `history = [{ on = "${today}", change = "revised", note = "${note}" }]\n`;
  await writeFile(at, text.slice(0, end) + line + text.slice(end));
}

const box = (page: Page, id: string) => page.locator(`.skill-tree .node#t-${id}`);
const since = (page: Page) => page.locator(".since-visit");

async function go(page: Page, url: string, info: TestInfo) {
  await page.goto(url);
  if (jsEnabled(info)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

test("after a revision, the page says what changed and marks a finished topic until it is opened", async ({ page }, info) => {
  test.setTimeout(90_000);
  const port = 3200 + (jsEnabled(info) ? 1 : 2);
  const base = `http://127.0.0.1:${port}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), "backroad-changes-"));
  const [data, content] = [path.join(dir, "data"), path.join(dir, "content")];
  await cp(path.join(repo, "src/content"), content, { recursive: true });
  let server = await start(port, data, content);
  try {
    // Progress from an export: HTTP finished three days ago.
    const finished = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const exported = JSON.stringify({
      schema: 2,
      exported_at: finished,
      roadmaps: { backend: [{ topic: "http", status: "done", changed_at: finished }] },
    });
    await go(page, `${base}/account`, info);
    await page.getByLabel("Import: paste the contents of an export file").fill(exported);
    await page.getByRole("button", { name: "Import", exact: true }).click();
    if (jsEnabled(info)) await expect(page.getByRole("status")).toContainText("Imported 1 status(es).");
    else await expect(page.getByLabel("Import: paste the contents of an export file")).toHaveValue("");
    await go(page, `${base}/roadmaps/backend`, info);
    await expect(box(page, "http")).toHaveAttribute("data-status", "done");
    await expect(since(page)).toBeHidden();
    await expect(box(page, "http")).not.toHaveAttribute("data-updated", "1");

    // The content is revised; the learner comes back later.
    await stop(server);
    await revise(content, "foundations.toml", "http", "Now covers zebrafish resolvers.");
    server = await start(port, data, content);
    await new Promise((r) => setTimeout(r, 1_200));
    await go(page, `${base}/roadmaps/backend`, info);
    await expect(since(page)).toBeVisible();
    await expect(since(page)).toContainText("Since your visit on");
    await expect(since(page)).toContainText("1 topic updated");
    await expect(box(page, "http")).toHaveAttribute("data-updated", "1");
    await expect(box(page, "dns")).toHaveAttribute("data-updated", "");

    // Opening it shows what changed, and ends the mark.
    await box(page, "http").click();
    const panel = page.getByRole("complementary", { name: "HTTP", exact: true });
    await expect(panel.locator(".updated-note")).toContainText("Updated since you finished it");
    await expect(panel.locator(".updated-note")).toContainText("Now covers zebrafish resolvers.");
    // Said once: the general "Updated on …" line gives way to the learner's own.
    await expect(panel.locator(".topic-revised")).toBeHidden();
    if (jsEnabled(info)) await expect(box(page, "http")).toHaveAttribute("data-updated", "");
    await go(page, `${base}/roadmaps/backend`, info);
    await expect(box(page, "http")).toHaveAttribute("data-updated", "");

    // The line's link lists the change.
    await since(page).getByRole("link", { name: "See what changed" }).click();
    await expect(page).toHaveURL(/\/changes\?roadmap=backend&since=\d{4}-\d{2}-\d{2}$/);
    await expect(page.getByRole("heading", { level: 1, name: "What changed" })).toBeVisible();
    await expect(page.getByRole("listitem").filter({ hasText: "Now covers zebrafish resolvers." })).toBeVisible();
  } finally {
    await stop(server);
    await rm(dir, { recursive: true, force: true });
  }
});
