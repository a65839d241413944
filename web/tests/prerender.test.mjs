// The first view rendered at build time (src/bin/prerender.rs, web/post-build.mjs): the page's
// HTML already holds the default example's analysis; the app replaces it when the WebAssembly
// runs, without an empty frame and without two copies (its panels below the containers stand in
// the app until the app's own come with the second module); a link or a rescued manifest never
// shows it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { launch } from "../chromium.mjs";
import { serve } from "../serve.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "..", "dist");
const BASE = "/podlab/";
const CARD = '[data-testid="container-card"]';
// A container of the default example (static/examples/native-sidecar.yaml).
const DEFAULT_CARD = `${CARD}[data-container="log-shipper"]`;

let server, browser, origin;

before(async () => {
  server = await serve({ dir: dist, port: 0, base: BASE });
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function openPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  return { context, page, problems };
}

// Watches the page from before its first byte is parsed: at each animation frame, how many
// default-example cards are visible; at each DOM change, the most copies of a test id at once.
function watch() {
  window.podlabWatch = { frames: [], mostApps: 0, mostEditors: 0 };
  const visibleDefaultCards = () =>
    [...document.querySelectorAll('[data-testid="container-card"][data-container="log-shipper"]')].filter((e) => e.checkVisibility()).length;
  // Whether the first view's resources panel, below the first screen, is laid out.
  const later = () => !!document.querySelector('#podlab-prerender [aria-labelledby="resources-h"]')?.checkVisibility();
  const frame = () => {
    window.podlabWatch.frames.push({ cards: visibleDefaultCards(), prerendered: !!document.getElementById("podlab-prerender"), later: later() });
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  new MutationObserver(() => {
    const w = window.podlabWatch;
    w.mostApps = Math.max(w.mostApps, document.querySelectorAll('[data-testid="app"]').length);
    w.mostEditors = Math.max(w.mostEditors, document.querySelectorAll('[data-testid="editor"]').length);
  }).observe(document, { childList: true, subtree: true });
}

test("without JavaScript, the page's HTML alone shows the default example's analysis", async () => {
  const { context, page, problems } = await openPage({ javaScriptEnabled: false });
  await page.goto(origin + BASE);
  // The containers, the effective resources and the lifecycle, as the app renders them.
  assert.equal(await page.locator(CARD).count(), 4);
  assert.ok(await page.locator(DEFAULT_CARD).isVisible());
  assert.ok(await page.locator('[aria-labelledby="resources-h"]').isVisible(), "the resources section");
  assert.equal(await page.locator('[data-testid="effective-requests"] [data-resource="cpu"]').getAttribute("data-milli"), "800");
  assert.equal(await page.locator('[data-testid="qos-class"]').textContent(), "Burstable");
  // The manifest can be read; nothing pretends to work.
  const editor = page.locator('[data-testid="editor"]');
  assert.match(await editor.inputValue(), /name: storefront/);
  assert.equal(await editor.getAttribute("readonly"), "");
  assert.equal(await page.locator("#podlab-prerender button:not([inert]), #podlab-prerender select:not([inert])").count(), 0);
  // The reader can scroll the analysis.
  const results = page.locator(".results");
  const box = await results.boundingBox();
  await page.mouse.move(box.x + 40, box.y + 120);
  await page.mouse.wheel(0, 500);
  let scrolled = 0;
  for (let i = 0; i < 50 && scrolled === 0; i++) {
    await page.waitForTimeout(100);
    scrolled = await results.evaluate((e) => e.scrollTop);
  }
  assert.ok(scrolled > 0, "the analysis scrolls");
  await context.close();
  assert.deepEqual(problems, []);
});

test("opened plainly, the app takes the first view's place: no empty frame, one copy of each test id, and it reacts to an edit", async () => {
  const { context, page, problems } = await openPage();
  await page.addInitScript(watch);
  await page.goto(origin + BASE);
  await page.waitForSelector("#podlab-prerender", { state: "detached" });
  await page.waitForSelector(".cm-editor");
  const seen = await page.evaluate(() => window.podlabWatch);
  assert.ok(seen.frames.length > 0);
  // Once on screen (the first frames may come before the parser reaches it), the default
  // example's card is in every frame, through the swap.
  const shown = seen.frames.findIndex((f) => f.cards === 1);
  assert.ok(shown >= 0 && seen.frames[shown].prerendered, "the card rendered at build time was on screen first");
  assert.deepEqual(seen.frames.slice(shown).filter((f) => f.cards !== 1), [], "every frame from then on shows the default example's card");
  assert.equal(seen.mostApps, 1, "never two apps in the DOM");
  assert.equal(seen.mostEditors, 1, "never two editors in the DOM");
  const ids = await page.evaluate(() => {
    const count = {};
    for (const e of document.querySelectorAll("[data-testid]")) count[e.dataset.testid] = (count[e.dataset.testid] || 0) + 1;
    return count;
  });
  for (const id of ["app", "editor", "effective-requests", "qos-class", "lifecycle", "share-button", "k8s-version", "example-select"]) {
    assert.equal(ids[id], 1, `one ${id}: ${JSON.stringify(ids)}`);
  }
  assert.equal(ids["container-card"], 4);
  // The live analysis follows the editor.
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText("apiVersion: v1\nkind: Pod\nmetadata: {name: solo}\nspec:\n  containers:\n  - {name: only, image: example/only:1}\n");
  await page.waitForSelector(`${CARD}[data-container="only"]`);
  assert.equal(await page.locator(CARD).count(), 1);
  await context.close();
  assert.deepEqual(problems, []);
});

test("opened plainly, the first view's panels below the first screen wait for its first frame, then show", async () => {
  const { context, page, problems } = await openPage();
  // The first view stays in place: the WebAssembly never arrives.
  await page.route("**/*.wasm", (route) => route.abort());
  await page.addInitScript(watch);
  await page.goto(origin + BASE);
  await page.waitForFunction(() => window.podlabWatch.frames.some((f) => f.later));
  const seen = await page.evaluate(() => window.podlabWatch);
  const shown = seen.frames.findIndex((f) => f.cards === 1);
  assert.ok(shown >= 0, "the default example's card was on screen");
  assert.equal(seen.frames[shown].later, false, "the first frame with the card lays out no panel below the first screen");
  const after = seen.frames.findIndex((f) => f.later);
  assert.ok(after > shown, "the panels below come in a later frame");
  assert.deepEqual(seen.frames.slice(after).filter((f) => !f.later || f.cards !== 1), [], "and stay, with the card");
  // All of them: the resources, the lifecycle, the findings and the cheat sheet.
  for (const panel of ['[aria-labelledby="resources-h"]', '[aria-labelledby="lifecycle-h"]', '[aria-labelledby="findings-h"]', ".cheatsheet"]) {
    assert.ok(await page.locator(`#podlab-prerender ${panel}`).isVisible(), panel);
  }
  await context.close();
  // The aborted WebAssembly is the only complaint.
  assert.deepEqual(problems.filter((p) => !/wasm|WebAssembly|Failed to fetch|ERR_FAILED/i.test(p)), []);
});

const pod = (name) => `apiVersion: v1\nkind: Pod\nmetadata: {name: linked}\nspec:\n  containers:\n  - {name: ${name}, image: example/app:1}\n`;

test("from a share link, the live app draws the containers first and the panels below them later, once their code is in", async () => {
  const link = origin + BASE + "#v1/" + deflateRawSync(JSON.stringify({ manifest: pod("from-link") })).toString("base64url");
  const { context, page, problems } = await openPage();
  await page.addInitScript(() => {
    window.podlabFrames = [];
    const panels = ['[aria-labelledby="resources-h"]', '[aria-labelledby="lifecycle-h"]', '[aria-labelledby="findings-h"]', ".cheatsheet"];
    const frame = () => {
      const card = document.querySelector('[data-testid="container-card"][data-container="from-link"]');
      if (card?.checkVisibility()) {
        window.podlabFrames.push(panels.map((p) => !!document.querySelector(`[data-testid="app"] ${p}`)?.checkVisibility()));
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  await page.goto(link);
  await page.waitForFunction(() => window.podlabFrames.some((f) => f.every(Boolean)));
  const frames = await page.evaluate(() => window.podlabFrames);
  assert.deepEqual(frames[0], [false, false, false, false], "the first frame with the link's card lays out no panel below it");
  const all = frames.findIndex((f) => f.every(Boolean));
  assert.deepEqual(frames.slice(1, all).filter((f) => f.some(Boolean)), [], "the panels come together");
  assert.deepEqual(frames.slice(all).filter((f) => !f.every(Boolean)), [], "and stay");
  // Drawn from the link's analysis: one container, its requests and its lifecycle lane.
  assert.equal(await page.locator('[data-testid="effective-requests"]').count(), 1);
  assert.equal(await page.locator(`[data-testid="lifecycle"]`).count(), 1);
  await context.close();
  assert.deepEqual(problems, []);
});

test("a share link or a rescued manifest never shows the default example", async () => {
  const link = origin + BASE + "#v1/" + deflateRawSync(JSON.stringify({ manifest: pod("from-link") })).toString("base64url");
  const rescue = async (page) => {
    // What the panic hook leaves behind: the manifest in the tab's storage, and a link to ?rescue.
    await page.goto(origin + BASE);
    await page.evaluate((t) => sessionStorage.setItem("podlab-rescue", t), pod("rescued"));
    await page.goto(origin + BASE + "?rescue");
  };
  const opens = [
    ["a share link", (page) => page.goto(link), "from-link"],
    ["a rescued manifest", rescue, "rescued"],
  ];
  for (const [what, open, name] of opens) {
    const { context, page, problems } = await openPage();
    // Each document is watched from its start; the last one opened is the one that counts.
    await page.addInitScript(watch);
    await open(page);
    await page.waitForSelector(`${CARD}[data-container="${name}"]`);
    await page.waitForSelector(".cm-editor");
    const seen = await page.evaluate(() => window.podlabWatch);
    assert.ok(seen.frames.length > 0, what);
    assert.deepEqual(seen.frames.filter((f) => f.cards > 0), [], `${what}: no frame shows the default example`);
    assert.equal(await page.locator(DEFAULT_CARD).count(), 0, what);
    assert.equal(await page.locator(CARD).count(), 1, what);
    await context.close();
    assert.deepEqual(problems, [], what);
  }
});
