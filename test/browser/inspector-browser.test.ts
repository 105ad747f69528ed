// The dev inspector in a real browser (Debian's chromium driven by playwright-core) against `dev`
// running as a child process: live rows, detail, replay, tampered deliveries, filters, the dev
// token, and the list surviving a restart of dev.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli, SPAWN_DEADLINE_MS, startDevProcess, type DevProcess } from "../support/dev-process.js";

const CHROMIUM = "/usr/bin/chromium";
const STATE = mkdtempSync(join(tmpdir(), "cwr-inspector-"));
const PROFILE = mkdtempSync(join(tmpdir(), "cwr-chromium-"));
const SCREENSHOTS = join(ROOT, "test-results", "inspector");
/** How long the page may take to show what the receiver already answered. */
const UI_DEADLINE_MS = 30_000;
const FIXTURE_COUNT = readdirSync(join(ROOT, "fixtures")).filter((name) => name.endsWith(".json")).length;

let dev: DevProcess;
let inspectorUrl = "";
let context: BrowserContext;
let page: Page;
/** Uncaught errors of the page and content-security-policy refusals it reported. */
const pageProblems: string[] = [];

/** Starts `dev` on STATE and waits for its banner; returns the inspector URL it printed. */
async function startDev(): Promise<string> {
  dev = await startDevProcess(STATE, [], { LOG_FORMAT: "json" });
  const url = /inspector\s+(http:\/\/127\.0\.0\.1:\d+\/_inspector\/#token=\S+)/.exec(dev.output())?.[1];
  if (url === undefined) throw new Error(`dev printed no inspector URL:\n${dev.output()}`);
  return url;
}

const replay = (args: string[]): Promise<number> => runCli(["replay", ...args, "--state-dir", STATE]).then((result) => result.code);

const rowCount = (): Promise<number> => page.locator("#rows tr").count();

/**
 * The little of the DOM the in-page checks use (this file's TypeScript has no DOM types). The
 * checks are functions, not strings: the page's content security policy forbids eval.
 */
interface PageRow {
  readonly dataset: Record<string, string | undefined>;
  readonly children: ArrayLike<{ readonly textContent: string | null }>;
}
interface PageDocument {
  querySelectorAll(css: string): ArrayLike<PageRow>;
  getElementById(id: string): { readonly textContent: string | null } | null;
  readonly activeElement: { readonly id: string } | null;
}
type InPage = { readonly document: PageDocument };

/** Waits until the list shows at least `count` rows matching `selector`. */
const rowsShown = (selector: string, count = 1): Promise<unknown> =>
  page.waitForFunction(([css, n]) => (globalThis as unknown as InPage).document.querySelectorAll(css).length >= n, [selector, count] as const, {
    timeout: UI_DEADLINE_MS,
  });
/** Waits until the connection line of `on` starts with `text`. */
const connectionSays = (text: string, on: Page = page): Promise<unknown> =>
  on.waitForFunction((start) => (globalThis as unknown as InPage).document.getElementById("connection")?.textContent?.startsWith(start) === true, text, {
    timeout: UI_DEADLINE_MS,
  });
/** One field of every row shown, top to bottom: a `data-` attribute, or the text of a cell (its index). */
const rowData = (field: string): Promise<string[]> =>
  page.evaluate(
    (name) =>
      Array.from((globalThis as unknown as InPage).document.querySelectorAll("#rows tr"), (row) =>
        /^\d+$/.test(name) ? (row.children[Number(name)]?.textContent ?? "") : (row.dataset[name] ?? ""),
      ),
    field,
  );
const EVENT_ID_CELL = 3;

async function openInspector(url: string): Promise<void> {
  await page.goto(url);
  await connectionSays("Live");
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium); .ci/run does it`);
  }
  inspectorUrl = await startDev();
  context = await chromium.launchPersistentContext(PROFILE, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1400, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (error) => pageProblems.push(error.message));
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) pageProblems.push(message.text());
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 2 * SPAWN_DEADLINE_MS);

afterAll(async () => {
  await context?.close();
  const code = await dev.stop();
  rmSync(STATE, { recursive: true, force: true });
  rmSync(PROFILE, { recursive: true, force: true });
  expect(code).toBe(0);
}, SPAWN_DEADLINE_MS);

describe("dev inspector in a browser", { timeout: 3 * SPAWN_DEADLINE_MS }, () => {
  it("shows rows live, without a reload, while replay sends every fixture", async () => {
    await openInspector(inspectorUrl);
    expect(await rowCount()).toBe(0);
    const navigations: string[] = [];
    page.on("framenavigated", (frame) => navigations.push(frame.url()));
    expect(await replay(["fixtures/"])).toBe(0);
    await rowsShown("#rows tr[data-outcome=processed]", FIXTURE_COUNT);
    expect(await rowCount()).toBe(FIXTURE_COUNT);
    expect(navigations).toEqual([]);
    // Screen readers hear one line about the new rows (the list is redrawn whole).
    await page.locator("#live", { hasText: /^(New delivery|\d+ new deliveries, latest): [\w.]+, processed, HTTP 200$/ }).waitFor({ timeout: UI_DEADLINE_MS });
    // Newest first: the numbers go down the list.
    const numbers = (await rowData("seq")).map(Number);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  });

  it("opens a delivery from the keyboard and shows its body as a JSON tree, its answer and its handler's log line", async () => {
    const row = page.locator('#rows tr[data-type="response.completed"]').first();
    await row.locator("button").focus();
    await page.keyboard.press("Enter");
    await page.locator("#detail:not([hidden]) .tree").waitFor({ timeout: UI_DEADLINE_MS });
    const eventId = await row.locator("td").nth(3).textContent();
    expect(await page.locator("#detail-body .tree").textContent()).toContain(`"${eventId}"`);
    expect(await page.locator("#detail-body details").count()).toBeGreaterThan(1);
    expect(await page.locator("#verified-note").isHidden()).toBe(true);
    expect(await page.locator("#detail-answer").textContent()).toContain('"processed"');
    expect(await page.locator("#detail-logs").textContent()).toContain("dev handler received an event");
    const signature = await page.locator("#detail-headers tr", { hasText: "x-chatgpt-signature" }).locator("td").textContent();
    expect(signature).toMatch(/^v1=[0-9a-f]{8}…$/);
    expect(await page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.id)).toBe("detail-title");
  });

  it("Replay re-signs the delivery: a duplicate row appears", async () => {
    const before = await page.locator("#rows tr[data-outcome=duplicate]").count();
    await page.locator("#replay").click();
    await rowsShown("#rows tr[data-outcome=duplicate]", before + 1);
    expect(await page.locator("#rows tr").first().getAttribute("data-outcome")).toBe("duplicate");
    expect(await page.locator("#action-status").textContent()).toContain("HTTP 200 duplicate");
  });

  it("Replay as new event runs the handlers again under a new id", async () => {
    const replayedId = await page.locator("#rows tr").first().locator("td").nth(3).textContent();
    await page.locator("#replay-new").click();
    await page.waitForFunction(
      ([id, cell]) => {
        const first = (globalThis as unknown as InPage).document.querySelectorAll("#rows tr")[0];
        return first?.dataset.outcome === "processed" && first.children[cell]?.textContent !== id;
      },
      [replayedId, EVENT_ID_CELL] as const,
      { timeout: UI_DEADLINE_MS },
    );
    expect((await rowData(String(EVENT_ID_CELL)))[0]).toMatch(/^evt_[0-9a-f]{24}$/);
  });

  it("sends a fixture chosen in the form", async () => {
    const total = await rowCount();
    await page.locator("#fixture").selectOption({ label: "batch.failed" });
    await page.locator("#send-form button").click();
    await rowsShown("#rows tr", total + 1);
    expect(await page.locator("#rows tr").first().getAttribute("data-type")).toBe("batch.failed");
    // The first test sent every fixture already: this one is the same event again.
    expect(await page.locator("#action-status").textContent()).toBe("Send batch.failed: HTTP 200 duplicate");
  });

  it("sends a new event from a trigger template chosen in the form", async () => {
    const total = await rowCount();
    await page.locator("#fixture").selectOption({ label: "eval.run.canceled (new id)" });
    await page.locator("#send-form button").click();
    await rowsShown("#rows tr", total + 1);
    expect(await page.locator("#rows tr").first().getAttribute("data-type")).toBe("eval.run.canceled");
    expect(await page.locator("#action-status").textContent()).toBe("Send a new eval.run.canceled: HTTP 200 processed");
  });

  it("a tampered delivery shows invalid_signature, marked not verified, its body as text", async () => {
    expect(await replay(["fixtures/batch.completed.json", "--tamper", "--expect", "401"])).toBe(0);
    await rowsShown("#rows tr[data-outcome=invalid_signature]");
    const row = page.locator("#rows tr[data-outcome=invalid_signature]").first();
    expect(await row.textContent()).toContain("not verified");
    await row.click();
    await page.locator("#verified-note:not([hidden])").waitFor({ timeout: UI_DEADLINE_MS });
    expect(await page.locator("#detail-body .tree").count()).toBe(0);
    expect(await page.locator("#detail-body pre").textContent()).toContain("batch.completed");
    expect(await page.locator("#detail-answer").textContent()).toContain("invalid_signature");
  });

  it("filters by type and outcome, and searches by id", async () => {
    const total = await rowCount();
    await page.locator("#filter-type").selectOption("batch.completed");
    const types = await rowData("type");
    expect(types.length).toBeGreaterThan(0);
    expect(types.length).toBeLessThan(total);
    expect(new Set(types)).toEqual(new Set(["batch.completed"]));
    await page.locator("#filter-type").selectOption("");

    await page.locator("#filter-outcome").selectOption("duplicate");
    const outcomes = await rowData("outcome");
    expect(outcomes.length).toBeGreaterThan(0);
    expect(new Set(outcomes)).toEqual(new Set(["duplicate"]));
    await page.locator("#filter-outcome").selectOption("");

    const eventId = (await page.locator('#rows tr[data-type="response.failed"]').first().locator("td").nth(3).textContent()) ?? "";
    await page.locator("#search").fill(eventId);
    const found = await rowData(String(EVENT_ID_CELL));
    expect(found).toEqual([eventId]);
    await page.locator("#search").fill("");
    expect(await rowCount()).toBe(total);
    await page.screenshot({ path: join(SCREENSHOTS, "inspector.png"), fullPage: true });
    expect(pageProblems).toEqual([]);
    await page.setViewportSize({ width: 420, height: 900 });
    await page.screenshot({ path: join(SCREENSHOTS, "inspector-narrow.png"), fullPage: true });
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it("refuses data and actions without the dev token (401, 403 from another site); the page says so", async () => {
    const base = inspectorUrl.slice(0, inspectorUrl.indexOf("#"));
    const token = decodeURIComponent(inspectorUrl.slice(inspectorUrl.indexOf("#token=") + "#token=".length));
    const without = await fetch(`${base}api/deliveries`);
    expect(without.status).toBe(401);
    expect(await without.json()).toMatchObject({ error: "dev_token_required" });
    expect((await fetch(`${base}api/deliveries`, { headers: { "x-dev-token": `${token}x` } })).status).toBe(401);
    expect((await fetch(`${base}api/send`, { method: "POST", body: "{}" })).status).toBe(401);
    const crossSite = await fetch(`${base}api/deliveries`, { headers: { "x-dev-token": token, "sec-fetch-site": "cross-site" } });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ error: "cross_origin_request" });
    expect((await fetch(`${base}api/deliveries`, { headers: { "x-dev-token": token } })).status).toBe(200);

    const other = await context.newPage();
    await other.goto(`${base}#token=wrong`);
    await connectionSays("Refused", other);
    expect(await other.locator("#rows tr").count()).toBe(0);
    await other.close();
  });

  it("keeps the rows across a restart of dev", async () => {
    const before = [await rowData("seq"), await rowData("outcome")];
    expect(await dev.stop()).toBe(0);
    inspectorUrl = await startDev();
    await openInspector(inspectorUrl);
    await rowsShown("#rows tr", before[0]!.length);
    const after = [await rowData("seq"), await rowData("outcome")];
    expect(after).toEqual(before);
  });

  it("Clear empties the list, for this page and on disk", async () => {
    await page.locator("#clear").click();
    await page.waitForFunction(() => (globalThis as unknown as InPage).document.querySelectorAll("#rows tr").length === 0, undefined, { timeout: UI_DEADLINE_MS });
    await page.reload();
    await openInspector(inspectorUrl);
    expect(await rowCount()).toBe(0);
  });
});
