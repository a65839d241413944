// End-to-end journeys on the release build (dist/), served from a sub-path as a project site
// would be. Every test fails on a console error, an uncaught exception, or any request that
// leaves the page's own origin.
import { test, before, after, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { launch } from "../chromium.mjs";
import { serve } from "../serve.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "..", "dist");
const shots = join(here, "..", "test-results");
mkdirSync(shots, { recursive: true });
const BASE = "/podlab/";

let server, browser, origin, page, problems;

before(async () => {
  server = await serve({ dir: dist, port: 0, base: BASE });
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

// Every page a test opens reports console errors, uncaught exceptions and requests off the origin.
function guard(p) {
  p.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()} ${m.location().url || ""}`.trim()); });
  p.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  p.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith(origin + "/") && !url.startsWith("data:") && !url.startsWith("blob:")) problems.push(`request off the origin: ${url}`);
  });
  return p;
}

beforeEach(async () => {
  problems = [];
  page = guard(await browser.newPage({ viewport: { width: 1280, height: 800 } }));
  await page.goto(origin + BASE);
  await appStarted(page);
  await editorReady(page);
});

// The page opens on its first view rendered at build time; the app replaces it when the
// WebAssembly runs, and only then do its controls work.
async function appStarted(p, card = "") {
  await p.waitForSelector("#podlab-prerender", { state: "detached" });
  await p.waitForSelector(`[data-testid="container-card"]${card}`);
}

// The editor bundle loads after the first analysis, and its extras (highlighting, undo, search)
// right after it is in place; tests that drive it wait for both.
const editorReady = async (p) => {
  await p.waitForSelector(".cm-editor");
  await p.evaluate(() => window.podlabEditor.complete);
};

afterEach(async () => {
  await page.close();
  assert.deepEqual(problems, [], "the page must make no error and no request off its origin");
});

async function typeManifest(text) {
  const editor = page.locator('[data-testid="editor"]');
  await editor.click();
  await page.keyboard.press("Control+A");
  // Replaces the selection in one step, as a paste does.
  await page.keyboard.insertText(text);
}

const cards = () => page.locator('[data-testid="container-card"]');
const milli = (which, resource) =>
  page.locator(`[data-testid="effective-${which}"] [data-resource="${resource}"]`).getAttribute("data-milli");

test("the default example is analysed on load, served from a sub-path", async () => {
  assert.equal(await cards().count(), 4);
  assert.equal(await milli("requests", "cpu"), "800");
  assert.equal(await page.locator('[data-testid="qos-class"]').textContent(), "Burstable");
  const stages = await page.locator('[data-testid="lifecycle-stage"][data-phase="startup"]').evaluateAll((els) => els.map((e) => e.dataset.containers));
  assert.deepEqual(stages, ["log-shipper", "metrics-agent", "config-reloader", "app"]);
  await page.screenshot({ path: join(shots, "default.png") });
});

test("on a phone the page fits the screen's width: nothing scrolls sideways but the editor and the kubectl lines", async () => {
  for (const width of [360, 390]) {
    const phone = guard(await browser.newPage({ viewport: { width, height: 844 } }));
    const sideways = () => phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    // The first view rendered at build time, its lower panels shown, the WebAssembly held back.
    await phone.route("**/*.wasm", (route) => route.abort());
    await phone.goto(origin + BASE);
    await phone.waitForFunction(() => !("later" in document.documentElement.dataset));
    assert.equal(await sideways(), 0, `the first view at ${width} px`);
    await phone.unroute("**/*.wasm");
    // The live app, with its longest selects: the examples and the lifecycle's what-ifs.
    await phone.reload();
    await appStarted(phone);
    await editorReady(phone);
    assert.ok(await phone.locator('[data-testid="lifecycle-scenario"]').isVisible());
    assert.equal(await sideways(), 0, `the live app at ${width} px`);
    await phone.close();
  }
  // The aborted WebAssembly is the only complaint.
  problems = problems.filter((p) => !/wasm|WebAssembly|Failed to fetch|ERR_FAILED/i.test(p));
});

test("the built page refers to its assets with relative URLs", async () => {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  // Assets, not the links to read further (<a>) that the first view rendered at build time holds.
  const urls = [...html.matchAll(/<(?!a\s)[a-z]+\b[^>]*?\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(urls.length >= 3, `found ${urls.join(", ")}`);
  for (const u of urls) assert.ok(!u.startsWith("/") && !/^[a-z]+:/.test(u), `absolute URL in index.html: ${u}`);
  const csp = html.match(/Content-Security-Policy" content="([^"]+)"/)[1];
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/);
});

test("typing a manifest into the editor shows its analysis", async () => {
  await typeManifest(`apiVersion: batch/v1
kind: Job
metadata:
  name: export
spec:
  template:
    spec:
      restartPolicy: Never
      initContainers:
      - name: proxy
        image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1
        restartPolicy: Always
        resources:
          requests: {cpu: 200m, memory: 128Mi}
      - name: schema-check
        image: registry.example.com/schema-check:1.0.0
        resources:
          requests: {cpu: "1", memory: 64Mi}
      containers:
      - name: export
        image: registry.example.com/export:2.1.0
        resources:
          requests: {cpu: 300m, memory: 256Mi}
`);
  await page.waitForSelector('[data-testid="container-card"][data-container="schema-check"]');
  assert.equal(await cards().count(), 3);
  // schema-check runs beside the started proxy: 1 + 200m = 1200m, more than the 500m running phase
  assert.equal(await milli("requests", "cpu"), "1200");
  assert.equal(await page.locator('[data-container="proxy"]').getAttribute("data-pattern"), "ambassador");
  assert.equal(await page.locator('[data-container="proxy"]').getAttribute("data-form"), "native-sidecar");
  await page.screenshot({ path: join(shots, "typed.png") });
});

test("a bad value is a finding at its line with the rest analysed; broken YAML keeps the last analysis dimmed", async () => {
  const pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: nginx:1.27\n    resources:\n      requests:\n        cpu: lots\n";
  await typeManifest(pod);
  // One bad value costs only that value: a finding at its line, and the pod is still analysed.
  const bad = page.locator('[data-testid="diagnostic"][data-rule="invalid-quantity"]');
  await bad.waitFor();
  assert.equal(await bad.getAttribute("data-line"), "11");
  assert.equal(await page.locator('[data-testid="input-error"]').count(), 0);
  await page.locator('[data-testid="container-card"][data-container="a"]').waitFor();
  assert.equal(await cards().count(), 1);
  // Text that is not YAML at all still fails as a whole; the last good analysis stays, dimmed.
  await typeManifest(pod.replace("cpu: lots", "cpu: [lots"));
  const err = page.locator('[data-testid="input-error"]');
  await err.first().waitFor();
  assert.equal(await cards().count(), 1, "the last good analysis stays on screen");
  await page.screenshot({ path: join(shots, "broken.png") });
});

test("a Helm template gets its own message", async () => {
  await typeManifest("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include \"app.fullname\" . }}\n");
  const err = page.locator('[data-testid="input-error"]');
  await err.waitFor();
  assert.match(await err.textContent(), /helm template/);
  assert.equal(await err.getAttribute("data-line"), "4");
});

test("the target version changes the findings and the stop order", async () => {
  await page.selectOption('[data-testid="k8s-version"]', "1.27");
  await page.waitForSelector('[data-testid="diagnostic"][data-rule="native-sidecar-unsupported"]');
  assert.equal(await page.locator('[data-testid="diagnostic"][data-rule="native-sidecar-unsupported"]').count(), 3);
  assert.equal(await page.locator('[data-testid="diagnostic"][data-rule="native-sidecar-unsupported"]').first().getAttribute("data-severity"), "error");
  await page.selectOption('[data-testid="k8s-version"]', "1.33");
  await page.waitForSelector('[data-testid="diagnostic"][data-rule="native-sidecar-unsupported"]', { state: "detached" });
  const stop = await page.locator('[data-testid="lifecycle-stage"][data-phase="shutdown"]').evaluateAll((els) => els.map((e) => e.dataset.containers));
  assert.deepEqual(stop, ["app", "config-reloader", "metrics-agent", "log-shipper"]);
});

test("clicking a finding moves the editor to its line", async () => {
  await page.selectOption('[data-testid="example-select"]', "job-classic-sidecar");
  const finding = page.locator('[data-testid="diagnostic"][data-rule="classic-sidecar-in-job"]');
  await finding.waitFor();
  const line = Number(await finding.getAttribute("data-line"));
  await finding.locator("button.finding-head").click();
  const highlighted = page.locator(".cm-podlab-highlight");
  await highlighted.waitFor();
  const text = await highlighted.textContent();
  const source = await page.evaluate(() => window.podlabEditor.getDoc());
  assert.equal(text, source.split("\n")[line - 1]);
});

test("the workload picker switches between workloads of one input", async () => {
  await typeManifest(`apiVersion: v1
kind: Service
metadata: {name: web}
spec: {ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  selector: {matchLabels: {app: db}}
  serviceName: db
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: postgres, image: "postgres:17"}, {name: exporter, image: "quay.io/prometheuscommunity/postgres-exporter:v0.16.0"}]
`);
  const picker = page.locator('[data-testid="workload-select"]');
  await picker.waitFor();
  assert.deepEqual(await picker.locator("option").evaluateAll((o) => o.map((x) => x.value)), ["Deployment/web", "StatefulSet/db"]);
  await picker.selectOption("StatefulSet/db");
  await page.waitForSelector('[data-testid="container-card"][data-container="exporter"]');
  assert.equal(await page.locator('[data-container="exporter"]').getAttribute("data-pattern"), "adapter");
});

test("a share link carries the manifest and version through reload and back", async () => {
  await page.selectOption('[data-testid="k8s-version"]', "1.30");
  await page.selectOption('[data-testid="example-select"]', "ambassador");
  await page.waitForSelector('[data-testid="container-card"][data-container="redis-ambassador"]');
  await page.click('[data-testid="share-button"]');
  const link = await page.locator('[data-testid="share-url"]').inputValue();
  assert.ok(link.startsWith(origin + BASE + "#v1/"), link);
  assert.ok(page.url().includes("#v1/"), "the address bar carries the link");

  await page.reload();
  await page.waitForSelector('[data-testid="container-card"][data-container="redis-ambassador"]');
  assert.equal(await page.locator('[data-testid="k8s-version"]').inputValue(), "1.30");

  // A damaged link: a clear message and an empty editor, no crash.
  await page.goto(origin + BASE + "#v1/AAAAdamaged");
  await page.locator('[data-testid="link-error"]').waitFor();
  await editorReady(page);
  assert.match(await page.locator('[data-testid="link-error"]').textContent(), /damaged|cut short/);
  assert.equal(await page.evaluate(() => window.podlabEditor.getDoc()), "");
  assert.equal(await cards().count(), 0);

  // Back returns to the shared manifest.
  await page.goBack();
  await page.waitForSelector('[data-testid="container-card"][data-container="redis-ambassador"]');

  // A link whose manifest is broken shows its error, not the analysis of the manifest before it.
  const broken = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: x:1\n    ports: [{containerPort: 80}\n";
  await page.goto(origin + BASE + "#v1/" + deflateRawSync(JSON.stringify({ manifest: broken })).toString("base64url"));
  const error = page.locator('[data-testid="input-error"]');
  await error.first().waitFor();
  assert.ok((await error.first().textContent()).length > 10);
  assert.equal(await cards().count(), 0);
});

test("the main journey works from the keyboard alone, with visible focus", async () => {
  const focused = () => page.evaluate(() => document.activeElement?.closest("[data-testid]")?.dataset.testid);
  for (let i = 0; i < 12 && (await focused()) !== "example-select"; i++) await page.keyboard.press("Tab");
  assert.equal(await focused(), "example-select");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, "none", "focus is visible");
  await page.keyboard.press("End"); // the last example: mistakes the API server rejects
  await page.waitForSelector('[data-testid="diagnostic"][data-rule="init-container-probe"]');
  for (let i = 0; i < 200 && (await focused()) !== "diagnostic"; i++) {
    // The editor keeps Tab for indenting; Esc then Tab leaves it (the hint under it says so).
    if ((await focused()) === "editor") await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
  }
  assert.equal(await focused(), "diagnostic");
  const line = Number(await page.evaluate(() => document.activeElement.closest("[data-testid]").dataset.line));
  await page.keyboard.press("Enter");
  const highlighted = page.locator(".cm-podlab-highlight");
  await highlighted.waitFor();
  const source = await page.evaluate(() => window.podlabEditor.getDoc());
  assert.equal(await highlighted.textContent(), source.split("\n")[line - 1]);
});

test("the questionnaire leads to a pattern, checks the manifest and loads a starter", async () => {
  await page.selectOption('[data-testid="example-select"]', "job-classic-sidecar");
  await page.click('[data-testid="questionnaire-open"]');
  const answer = (id) => page.click(`[data-testid="question"] [data-testid="answer"][data-answer="${id}"]`);
  await answer("batch");
  await answer("during");
  await answer("new");
  const rec = page.locator('[data-testid="recommendation"]');
  assert.equal(await rec.getAttribute("data-pattern"), "job-native-sidecar");

  await page.click('[data-testid="check-manifest"]');
  assert.match(await page.locator('[data-testid="check-result"]').textContent(), /'log-shipper' is a classic container/);

  await page.click('[data-testid="questionnaire-back"]');
  assert.equal(await page.locator('[data-testid="question"]').getAttribute("data-question"), "version");
  await answer("old");
  assert.equal(await rec.getAttribute("data-pattern"), "classic-sidecar");
  await page.click('[data-testid="questionnaire-back"]');
  await page.click('[data-testid="questionnaire-back"]');
  assert.equal(await page.locator('[data-testid="question"]').getAttribute("data-question"), "when");
  await page.click('[data-testid="questionnaire-forward"]');
  assert.equal(await page.locator('[data-testid="question"]').getAttribute("data-question"), "version");
  await answer("new");

  await page.click('[data-testid="load-starter"]');
  await page.waitForSelector('[data-testid="container-card"][data-container="log-shipper"][data-form="native-sidecar"]');
  assert.equal(await page.locator('[data-testid="diagnostic"][data-severity="warning"]').count(), 0);

  await page.click('[data-testid="share-button"]');
  await page.reload();
  await page.waitForSelector('[data-testid="recommendation"]');
  assert.equal(await page.locator('[data-testid="recommendation"]').getAttribute("data-pattern"), "job-native-sidecar");
  await page.screenshot({ path: join(shots, "questionnaire.png") });
});

test("stepping through the lifecycle reaches the stages in the engine's order", async () => {
  const startup = await page.locator('[data-testid="lifecycle-stage"][data-phase="startup"]').evaluateAll((els) => els.map((e) => Number(e.dataset.stage)));
  const seen = [];
  for (let i = 0; i < 80; i++) {
    await page.click('[data-testid="lifecycle-step"]');
    const now = await page.locator(".stage.now").count() ? Number(await page.locator(".stage.now").getAttribute("data-stage")) : null;
    if (now === null) continue;
    if (seen.length && now < seen[seen.length - 1]) break; // stepped past the end and started over
    if (seen[seen.length - 1] !== now) seen.push(now);
  }
  // Stages come in order: every start-up stage, then the stop stages, never backwards.
  assert.deepEqual(seen.slice(0, startup.length), startup);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1], `stage order ${seen}`);
  assert.equal(seen.length, await page.locator('[data-testid="lifecycle-stage"]').count());
  const log = await page.locator(".event-log li").first().textContent();
  assert.ok(log.length > 10);
  await page.click('[data-testid="lifecycle-compare"]');
  assert.equal(await page.locator('[data-testid="lifecycle-comparison"] .variant').count(), 2);
  await page.locator('[aria-labelledby="lifecycle-h"]').screenshot({ path: join(shots, "lifecycle.png") });
});

test("with reduced motion, play moves from event to event", async () => {
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.reload();
  await appStarted(page);
  await page.click('[data-testid="lifecycle-play"]');
  await page.waitForTimeout(1000);
  const clock = await page.locator('[data-testid="lifecycle-clock"]').textContent();
  // The first events of the default example are at 0 s; the next one is log-shipper's startupProbe.
  assert.match(clock, /^\d+\.0 s$/);
  assert.notEqual(clock, "0.0 s", "it moved to a later event");
});

test("a 20-container pod animates; frame times are measured", async () => {
  const containers = Array.from({ length: 10 }, (_, i) => `  - {name: side-${i}, image: "example/side:1", restartPolicy: Always, startupProbe: {tcpSocket: {port: ${9000 + i}}, periodSeconds: 2}, resources: {requests: {cpu: 10m, memory: 16Mi}}}`).join("\n");
  const mains = Array.from({ length: 10 }, (_, i) => `  - {name: app-${i}, image: "example/app:1", resources: {requests: {cpu: 100m, memory: 64Mi}}}`).join("\n");
  await typeManifest(`apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  initContainers:\n${containers}\n  containers:\n${mains}\n`);
  await page.waitForSelector('[data-testid="container-card"][data-container="app-9"]');
  await page.selectOption('[data-testid="lifecycle-speed"]', "4");
  await page.click('[data-testid="lifecycle-play"]');
  const frames = await page.evaluate(() => new Promise((done) => {
    const deltas = [];
    let last = performance.now();
    const start = last;
    const tick = (t) => { deltas.push(t - last); last = t; if (t - start < 2000) requestAnimationFrame(tick); else done(deltas); };
    requestAnimationFrame(tick);
  }));
  frames.sort((a, b) => a - b);
  const mean = frames.reduce((a, b) => a + b, 0) / frames.length;
  console.log(`frame times over 2 s with 20 containers: ${frames.length} frames, mean ${mean.toFixed(1)} ms, p95 ${frames[Math.floor(frames.length * 0.95)].toFixed(1)} ms, max ${frames[frames.length - 1].toFixed(1)} ms`);
  assert.ok(frames.length > 20, "the page keeps painting while it animates");
  assert.notEqual(await page.locator('[data-testid="lifecycle-clock"]').textContent(), "0.0 s");
});

test("axe finds no serious or critical accessibility violation, light and dark", async () => {
  const axe = readFileSync(join(here, "..", "node_modules", "axe-core", "axe.min.js"), "utf8");
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.click('[data-testid="questionnaire-open"]');
    await page.evaluate(axe);
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
    const bad = result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
    assert.deepEqual(bad, [], `${scheme}:\n${bad.join("\n")}`);
    await page.click('[data-testid="questionnaire-open"]');
  }
  // The workshop: its quiz, then the presenter view with the analysis revealed.
  await page.click('[data-testid="workshop-open"]');
  await page.waitForSelector('[data-testid="quiz"]');
  for (const step of ["quiz", "presenter"]) {
    if (step === "presenter") {
      await page.click('[data-testid="quiz-check"]');
      await page.click('[data-testid="present-toggle"]');
      await page.click('[data-testid="reveal-next"]');
    }
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
    assert.deepEqual(bad, [], `${step}:\n${bad.join("\n")}`);
  }
});

test("sharing a manifest with secrets warns and redacts on request", async () => {
  await typeManifest("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n    env:\n    - name: DB_PASSWORD\n      value: hunter2\n");
  await page.waitForSelector('[data-testid="container-card"][data-container="app"]');
  await page.click('[data-testid="share-button"]');
  const warning = page.locator('[data-testid="secrets-warning"]');
  await warning.waitFor();
  assert.match(await warning.textContent(), /line 10: the value of DB_PASSWORD/);
  await page.click('[data-testid="redact-and-share"]');
  const link = await page.locator('[data-testid="share-url"]').inputValue();
  assert.ok(!(await page.evaluate(() => window.podlabEditor.getDoc())).includes("hunter2"));
  await page.goto(link);
  await page.waitForSelector('[data-testid="container-card"][data-container="app"]');
  await editorReady(page);
  const doc = await page.evaluate(() => window.podlabEditor.getDoc());
  assert.ok(doc.includes('value: "REDACTED"') && !doc.includes("hunter2"), doc);
});

test("hostile input in the page gets a message and the page stays responsive", async () => {
  const cases = [
    ["alias bomb", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + Array.from({ length: 12 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(", ")}]`).join("\n") + "\n"],
    ["deep nesting", "[".repeat(20000)],
    // Deeper than the editor's YAML parser can build a tree for: it shows the text plain.
    ["nesting past the editor's parser", "[".repeat(200000)],
    ["absurd number", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: \"x:1\", resources: {requests: {cpu: 1e999}}}\n"],
    ["binary-looking text", "\u0000\u0001\u0002 not yaml"],
  ];
  for (const [what, text] of cases) {
    await page.evaluate((t) => window.podlabEditor.setDoc(t), text);
    // Text that cannot be read is an input error; a pod with one unreadable value is analysed
    // with that value as an error finding.
    const err = page.locator('[data-testid="input-error"], [data-testid="diagnostic"][data-severity="error"]');
    await err.first().waitFor({ timeout: 10000 });
    assert.ok((await err.first().textContent()).length > 10, what);
    // The page still answers: a click moves the editor within a moment.
    assert.equal(await page.evaluate(() => 1 + 1), 2, what);
  }
  // An ordinary manifest after them gets the YAML language's colours back.
  await page.evaluate(() => window.podlabEditor.setDoc("apiVersion: v1\nkind: Pod\n"));
  await page.waitForFunction(() => document.querySelectorAll(".cm-line span").length > 0, null, { timeout: 10000 });
});

// Container names a user can paste: invalid in Kubernetes, but the page must render whatever
// arrives, as text, and go on analysing.
const HOSTILE_NAMES = [
  ["Cyrillic", "приложение-основное-длинное"],
  ["Chinese", "应用程序容器名称很长的一个名字啊"],
  ["Arabic", "حاوية-التطبيق-الرئيسية-الطويلة"],
  ["emoji with joiners", "👩\u200d👩\u200d👧\u200d👦-family-👨\u200d💻-🏳\ufe0f\u200d🌈"],
  ["combining marks", "z\u0335\u0321a\u0336l\u0337g\u0338o\u0335-c\u0301\u0302\u0303ombining"],
  ["right-to-left override", "\u202ereniatnoc-live-edisrever"],
  ["markup", "<img src=x onerror=alert(1)>"],
  ["5,000 characters", "ж".repeat(5000)],
];
const hostilePod = (name) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n  - name: "${name}"\n    image: example/agent:1\n    restartPolicy: Always\n  containers:\n  - name: "${name}-2"\n    image: example/app:1\n`;
const cardNames = (p) => p.locator('[data-testid="container-card"]').evaluateAll((els) => els.map((e) => e.dataset.container));

test("pasting manifests with hostile container names renders them as text and the next manifest is analysed", async () => {
  await page.exposeFunction("podlabAlerted", () => problems.push("markup in a name ran script"));
  await page.evaluate(() => { window.alert = () => window.podlabAlerted(); });
  for (const [what, name] of HOSTILE_NAMES) {
    await typeManifest(hostilePod(name));
    await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid="container-card"]')].some((c) => c.dataset.container === n), name, { timeout: 10000 });
    assert.deepEqual(await cardNames(page), [name, `${name}-2`], what);
    assert.equal(await page.locator('[data-testid="lifecycle"] .lane-label').count(), 2, what);
    assert.equal(await page.locator(".results img").count(), 0, `${what}: markup became an element`);
    if (what === "Cyrillic") await page.screenshot({ path: join(shots, "hostile-names.png") });
    // The page still analyses what is typed next.
    await typeManifest("apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  containers:\n  - {name: next, image: 'example/next:1'}\n");
    await page.waitForSelector('[data-testid="container-card"][data-container="next"]', { timeout: 10000 });
    assert.deepEqual(await cardNames(page), ["next"], `${what}: the next manifest`);
  }
  assert.equal(await page.locator('[data-testid="crash"]').count(), 0);
});

test("the reload offered after a bug brings back the manifest that was on screen", async () => {
  // What the panic hook leaves behind: the manifest in the tab's storage, and a link to ?rescue.
  await page.evaluate((t) => sessionStorage.setItem("podlab-rescue", t), hostilePod("kept"));
  await page.goto(origin + BASE + "?rescue");
  await page.waitForSelector('[data-testid="container-card"][data-container="kept"]');
  await editorReady(page);
  assert.equal(await page.evaluate(() => window.podlabEditor.getDoc()), hostilePod("kept"));
  assert.equal(await page.evaluate(() => location.search), "");
  // Taken once: a later reload starts as usual.
  await page.reload();
  await appStarted(page, '[data-container="log-shipper"]');
});

// 2,000 lines: the default example's Deployment repeated.
async function bigManifest(p) {
  const example = await p.evaluate(() => window.podlabEditor.getDoc());
  return Array.from({ length: Math.ceil(2000 / example.split("\n").length) }, (_, i) => example.replace("name: storefront\nspec", `name: storefront-${i}\nspec`)).join("---\n");
}

// One keystroke's worth of change: the digits of the first `replicas:` replaced in place.
async function typeReplicas(p, n) {
  await p.evaluate((n) => {
    const doc = window.podlabEditor.getDoc();
    const m = /replicas: (\d+)/.exec(doc);
    const from = m.index + "replicas: ".length;
    window.podlabEditor.applyChangesJson(JSON.stringify([{ from, to: from + m[1].length, insert: String(n) }]));
  }, n);
  await p.waitForFunction((n) => document.querySelector('[data-testid="workload-select"]') && document.body.innerText.includes(`× ${n} replicas`), n);
}

test("measures: first analysis after navigation; each keystroke on 2,000 lines analysed in the worker", async () => {
  const started = Date.now();
  const fresh = guard(await browser.newPage({ viewport: { width: 1280, height: 800 } }));
  await fresh.goto(origin + BASE);
  await fresh.waitForSelector('[data-testid="container-card"]');
  const firstAnalysis = Date.now() - started;
  const navTiming = await fresh.evaluate(() => performance.now());
  await editorReady(fresh);
  await fresh.waitForFunction(() => document.documentElement.dataset.analysisWorker === "ready", null, { timeout: 30000 });
  const big = await bigManifest(fresh);
  await fresh.evaluate((t) => window.podlabEditor.setDoc(t), big);
  await fresh.waitForSelector('[data-testid="workload-select"]');
  const lines = big.split("\n").length;
  const answers = () => fresh.evaluate(() => performance.getEntriesByName("podlab-answer-read").length);
  const before = await answers();
  const latencies = [];
  for (let i = 0; i < 15; i++) {
    const t0 = await fresh.evaluate(() => performance.now());
    await typeReplicas(fresh, i + 4);
    latencies.push((await fresh.evaluate(() => performance.now())) - t0);
  }
  const answered = (await answers()) - before;
  latencies.sort((a, b) => a - b);
  console.log(`first analysis visible ${firstAnalysis} ms after navigation (page clock ${navTiming.toFixed(0)} ms); ${lines}-line input, each keystroke analysed in the worker: new analysis on screen after median ${latencies[7].toFixed(1)} ms, max ${latencies[14].toFixed(1)} ms`);
  await fresh.close();
  // What the name says: a first analysis after navigation, and a 2,000-line input over the
  // 32 KiB at which the page would wait for a pause: every keystroke was answered by the worker
  // (the page read one answer per change at least). The ceilings are ten times the budgets of
  // BENCHMARKS.md, so a loaded machine passes and a page that stalls does not.
  assert.ok(lines >= 2000, `${lines} lines`);
  assert.ok(big.length > 32 * 1024, `${big.length} bytes`);
  assert.ok(answered >= 15, `${answered} answers from the worker for 15 changes`);
  assert.ok(firstAnalysis < 3000, `first analysis after ${firstAnalysis} ms`);
  assert.ok(latencies[7] < 3000, `median ${latencies[7].toFixed(1)} ms`);
});

test("where the analysis worker cannot start, the page analyses large inputs itself once typing pauses", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const p = guard(await context.newPage());
  // A browser without service workers: the page starts its analysis worker at once.
  await p.addInitScript(() => delete Navigator.prototype.serviceWorker);
  // The worker's script is missing: its error event must bring the page back to analysing.
  await p.route("**/analysis-worker.js", (route) => route.fulfill({ status: 404, body: "" }));
  const failed = [];
  p.on("requestfailed", (r) => failed.push(r.url()));
  await p.goto(origin + BASE);
  await editorReady(p);
  await p.waitForFunction(() => window.podlabSettled === true);
  const big = await bigManifest(p);
  await p.evaluate((t) => window.podlabEditor.setDoc(t), big);
  await p.waitForSelector('[data-testid="workload-select"]');
  for (const n of [7, 8]) await typeReplicas(p, n);
  assert.equal(await p.evaluate(() => document.documentElement.dataset.analysisWorker), undefined);
  assert.equal(await p.evaluate(() => performance.getEntriesByName("podlab-answer-read").length), 0);
  await context.close();
  // The 404 of the worker's script is this test's doing; the page itself reported no error.
  problems = problems.filter((m) => !/analysis-worker|404|Failed to load resource/.test(m));
});

test("after the first visit the page works offline", async () => {
  await page.waitForFunction(() => document.documentElement.dataset.offlineReady === "true", null, { timeout: 15000 });
  // The worker stored every file of the site, whatever this visit happened to load.
  const stored = await page.evaluate(async () => {
    const names = (await caches.keys()).filter((k) => k.startsWith("podlab-"));
    const cache = await caches.open(names[0]);
    return { names, urls: (await cache.keys()).map((r) => new URL(r.url).pathname) };
  });
  assert.equal(stored.names.length, 1);
  assert.match(stored.names[0], /^podlab-[0-9a-f]{16}$/);
  for (const f of ["/podlab/", "/podlab/editor.js", "/podlab/editor-more.js", "/podlab/favicon.svg", "/podlab/examples/ambassador.yaml"]) assert.ok(stored.urls.includes(f), `${f} not stored: ${stored.urls}`);
  assert.ok(stored.urls.some((u) => u.endsWith(".wasm")), "the wasm is stored");
  await page.context().setOffline(true);
  try {
    await page.reload();
    await appStarted(page);
    assert.equal(await page.locator('[data-testid="effective-requests"] [data-resource="cpu"]').getAttribute("data-milli"), "800");
    await page.selectOption('[data-testid="example-select"]', "ambassador");
    await page.waitForSelector('[data-testid="container-card"][data-container="redis-ambassador"]');
  } finally {
    await page.context().setOffline(false);
  }
});

test("the editor edits as soon as it is in place, and its extras arrive without moving the text", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  let release;
  const held = new Promise((r) => (release = r));
  await context.route("**/editor-more.js*", async (route) => {
    await held;
    await route.continue();
  });
  const p = guard(await context.newPage());
  try {
    await p.goto(origin + BASE);
    await appStarted(p);
    await p.waitForSelector(".cm-editor");
    const left = () => p.locator(".cm-content").evaluate((e) => e.getBoundingClientRect().left);
    const before = await left();
    // Plain text, no fold markers yet; typing already reaches the analysis.
    assert.equal(await p.locator(".cm-line span").count(), 0, "no highlighting before the extras");
    assert.equal(await p.locator(".cm-foldGutter [title]").count(), 0);
    await p.evaluate(() => window.podlabEditor.setDoc(window.podlabEditor.getDoc().replace("- name: app\n", "- name: typed-early\n")));
    await p.waitForSelector('[data-testid="container-card"][data-container="typed-early"]');
    release();
    await p.evaluate(() => window.podlabEditor.complete);
    await p.waitForFunction(() => document.querySelectorAll(".cm-line span").length > 0);
    assert.ok((await p.locator(".cm-foldGutter [title]").count()) > 0, "fold markers");
    assert.equal(await left(), before, "the text stays where it was");
    // The dark theme puts the text where the light one does.
    const text = () => p.locator(".cm-line").first().evaluate((e) => e.getBoundingClientRect().left);
    const light = await text();
    await p.emulateMedia({ colorScheme: "dark" });
    await p.waitForFunction(() => getComputedStyle(document.querySelector(".cm-gutters")).backgroundColor === "rgb(27, 31, 39)");
    assert.equal(await text(), light, "dark text starts where light text does");
    await p.emulateMedia({ colorScheme: "light" });
    // Undo and search are in.
    const doc = await p.evaluate(() => window.podlabEditor.getDoc());
    await p.locator(".cm-content").click();
    await p.keyboard.type("x");
    await p.waitForFunction((d) => window.podlabEditor.getDoc() !== d, doc);
    await p.keyboard.press("Control+Z");
    await p.waitForFunction((d) => window.podlabEditor.getDoc() === d, doc);
    await p.keyboard.press("Control+F");
    await p.waitForSelector(".cm-search");
  } finally {
    await context.close();
  }
});

test("notes added on lines travel in the share link", async () => {
  await page.click(".notes-panel summary");
  await page.fill('[data-testid="note-line"]', "20");
  await page.fill('[data-testid="note-text"]', "restartPolicy Always makes this a native sidecar");
  await page.click('[data-testid="add-note"]');
  await page.waitForSelector('[data-testid="note"][data-line="20"]');
  await page.click('[data-testid="share-button"]');
  const link = await page.locator('[data-testid="share-url"]').inputValue();
  const other = await browser.newPage();
  await other.goto(link);
  await other.waitForSelector('[data-testid="note"][data-line="20"]');
  assert.match(await other.locator('[data-testid="note"]').textContent(), /native sidecar/);
  await other.close();
});

test("the built-in workshop: quiz, presenter keys, back and forward through lessons, reload, and a deck link", async () => {
  await page.click('[data-testid="workshop-open"]');
  await page.waitForSelector('[data-testid="quiz"]');
  assert.equal(await page.locator('[data-testid="lesson-position"]').textContent(), "Lesson 1 of 10");
  assert.equal(await cards().count(), 0, "the quiz hides the analysis");
  for (const [c, a] of [["wait-for-db", "init"], ["migrate", "init"], ["orders", "app"]]) {
    await page.selectOption(`[data-testid="quiz-item"][data-container="${c}"] select`, a);
  }
  await page.click('[data-testid="quiz-check"]');
  assert.equal(await page.locator('[data-testid="quiz-score"]').getAttribute("data-right"), "3");
  assert.equal(await cards().count(), 3);

  // The presenter view, driven by the keys a clicker sends.
  await page.click('[data-testid="lesson-next"]');
  await page.waitForSelector('[data-testid="deck"][data-lesson="1"]');
  await page.click('[data-testid="present-toggle"]');
  assert.ok(await page.locator(".app.presenting").count());
  await page.locator('[data-testid="lesson-title"]').click();
  // Lesson 2 has a quiz: the keys wait for it.
  await page.keyboard.press("ArrowRight");
  assert.equal(await cards().count(), 0);
  await page.selectOption('[data-testid="quiz-item"][data-container="log-shipper"] select', "native-sidecar");
  await page.click('[data-testid="quiz-check"]');
  await page.locator('[data-testid="lesson-title"]').click();
  await page.keyboard.press("PageDown");
  await page.waitForSelector('[data-testid="effective-requests"]');
  await page.keyboard.press("ArrowLeft");
  await page.waitForSelector('[data-testid="effective-requests"]', { state: "detached" });
  assert.equal(await cards().count(), 2);

  // Back returns to lesson 1, forward to lesson 2; reload keeps the lesson.
  await page.goBack();
  await page.waitForSelector('[data-testid="deck"][data-lesson="0"]');
  await page.goForward();
  await page.waitForSelector('[data-testid="deck"][data-lesson="1"]');
  await page.reload();
  await page.waitForSelector('[data-testid="deck"][data-lesson="1"]');
  assert.equal(await page.locator('[data-testid="lesson-title"]').textContent(), "The classic sidecar");

  // The address is a deck link: another reader opens the same deck at the same lesson.
  const other = await browser.newPage();
  await other.goto(page.url());
  await other.waitForSelector('[data-testid="deck"][data-lesson="1"]');
  assert.equal(await other.locator('[data-testid="lesson-position"]').textContent(), "Lesson 2 of 10");
  await other.close();
});

test("Back from the workshop's first lesson brings back the manifest that was on screen", async () => {
  await editorReady(page);
  const mine = "apiVersion: v1\nkind: Pod\nmetadata: {name: mine}\nspec:\n  containers:\n  - {name: solo, image: \"example/solo:1\"}\n";
  await typeManifest(mine);
  await page.waitForSelector('[data-testid="container-card"][data-container="solo"]');
  await page.click('[data-testid="workshop-open"]');
  await page.waitForSelector('[data-testid="deck"][data-lesson="0"]');
  await page.goBack();
  await page.waitForSelector('[data-testid="deck"]', { state: "detached" });
  await page.waitForSelector('[data-testid="container-card"][data-container="solo"]');
  assert.equal(await page.evaluate(() => window.podlabEditor.getDoc()), mine);
  assert.equal(new URL(page.url()).hash, "");
  // Forward opens the workshop again, at its first lesson.
  await page.goForward();
  await page.waitForSelector('[data-testid="deck"][data-lesson="0"]');
  assert.equal(await page.locator('[data-testid="lesson-position"]').textContent(), "Lesson 1 of 10");
});

test("a manifest with notes saves as a file that opens again, by picker and by drop; bad files get a message", async () => {
  await page.click(".notes-panel summary");
  await page.selectOption('[data-testid="note-target"]', "log-shipper");
  await page.fill('[data-testid="note-text"]', "flushes on shutdown");
  await page.click('[data-testid="add-note"]');
  await page.waitForSelector('[data-testid="card-note"]');
  const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="save-file"]')]);
  assert.equal(download.suggestedFilename(), "storefront.podlab.json");
  const saved = readFileSync(await download.path(), "utf8");
  assert.equal(JSON.parse(saved).format, "podlab/v1");

  // Opened in a fresh page by the file picker: the manifest and its note come back.
  const other = await browser.newPage();
  await other.goto(origin + BASE);
  await appStarted(other);
  await other.selectOption('[data-testid="example-select"]', "adapter");
  await other.waitForSelector('[data-testid="container-card"][data-container="jmx-exporter"]');
  await other.setInputFiles('[data-testid="open-file"]', { name: "storefront.podlab.json", mimeType: "application/json", buffer: Buffer.from(saved) });
  await other.waitForSelector('[data-testid="note"][data-container="log-shipper"]');
  assert.equal(await other.locator('[data-testid="container-card"]').count(), 4);

  // Dropped on the page: a plain manifest opens as it is.
  const drop = async (name, bytes) => {
    const dt = await other.evaluateHandle(([n, b]) => {
      const d = new DataTransfer();
      d.items.add(new File([new Uint8Array(b)], n));
      return d;
    }, [name, [...bytes]]);
    await other.dispatchEvent('[data-testid="app"]', "drop", { dataTransfer: dt });
  };
  await drop("pod.yaml", Buffer.from("apiVersion: v1\nkind: Pod\nmetadata: {name: dropped}\nspec:\n  containers:\n  - {name: only, image: 'x:1'}\n"));
  await other.waitForSelector('[data-testid="container-card"][data-container="only"]');

  // Not UTF-8: a message, and the editor keeps its text.
  await drop("image.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe]));
  await other.locator('[data-testid="link-error"]').waitFor();
  assert.match(await other.locator('[data-testid="link-error"]').textContent(), /image\.png is not UTF-8 text \(the byte at offset 0/);
  await other.waitForSelector('[data-testid="container-card"][data-container="only"]');
  // A file from a newer podlab is refused with its reason.
  await other.setInputFiles('[data-testid="open-file"]', { name: "new.podlab.json", mimeType: "application/json", buffer: Buffer.from('{"format": "podlab/v2", "manifest": ""}') });
  await other.waitForFunction(() => document.querySelector('[data-testid="link-error"]')?.textContent.includes("newer podlab"));
  await other.close();
});

test("editing what a link brought makes it the reader's own copy; the link stays as it was", async () => {
  await page.selectOption('[data-testid="example-select"]', "ambassador");
  await page.waitForSelector('[data-testid="container-card"][data-container="redis-ambassador"]');
  await page.click('[data-testid="share-button"]');
  const link = await page.locator('[data-testid="share-url"]').inputValue();
  const reader = await browser.newPage();
  await reader.goto(link);
  await reader.waitForSelector('[data-testid="container-card"][data-container="redis-ambassador"]');
  await editorReady(reader);
  assert.equal(await reader.locator('[data-testid="own-copy"]').count(), 0);
  await reader.evaluate(() => window.podlabEditor.setDoc(window.podlabEditor.getDoc().replace("name: app", "name: shop")));
  await reader.waitForSelector('[data-testid="own-copy"]');
  await reader.waitForFunction((l) => location.href !== l, link);
  await reader.reload();
  await reader.waitForSelector('[data-testid="container-card"][data-container="shop"]');
  await reader.close();
  // The sender's link still opens the original.
  const again = await browser.newPage();
  await again.goto(link);
  await again.waitForSelector('[data-testid="container-card"][data-container="app"]');
  await again.close();
});

test("a 20 MB paste and an invalid UTF-8 file get a message; the page stays responsive", async () => {
  const line = "# " + "x".repeat(98) + "\n";
  const t0 = Date.now();
  await page.evaluate((l) => window.podlabEditor.setDoc("apiVersion: v1\n" + l.repeat(200000)), line);
  const err = page.locator('[data-testid="input-error"]');
  await err.first().waitFor({ timeout: 20000 });
  assert.match(await err.first().textContent(), /20\.2 MB; the page analyses up to 4 MB/);
  // The last good analysis stays on screen, dimmed; the page still answers.
  assert.equal(await cards().count(), 4);
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  console.log(`20 MB paste: message after ${Date.now() - t0} ms`);
  await page.evaluate(() => window.podlabEditor.setDoc(""));
  // The editor hands changes over on the next frame: let the empty text land before opening.
  await page.waitForSelector("p.empty");
  await page.setInputFiles('[data-testid="open-file"]', { name: "latin1.yaml", mimeType: "text/yaml", buffer: Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x74, 0xe9, 0x0a]) });
  await page.locator('[data-testid="link-error"]').waitFor();
  assert.match(await page.locator('[data-testid="link-error"]').textContent(), /latin1\.yaml is not UTF-8 text \(the byte at offset 6/);
});

test("a deck written in the page survives a reload and opens from its link", async () => {
  await page.click('[data-testid="deck-new"]');
  await page.click('[data-testid="deck-edit"] summary');
  await page.fill('[data-testid="deck-title"]', "Sidecars, week 3");
  await page.click('[data-testid="lesson-add"]');
  await page.waitForSelector('[data-testid="deck"][data-lesson="1"]');
  await page.fill('[data-testid="lesson-title-input"]', "The adapter");
  // The address follows the deck once typing pauses: wait until its link carries the new title.
  const carried = () => page.evaluate(async () => {
    const b64 = location.hash.replace(/^#v1\//, "").replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    return await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"))).text();
  });
  for (let i = 0; !(await carried()).includes('"title":"The adapter"'); i++) {
    assert.ok(i < 100, "the address never carried the edited deck");
    await page.waitForTimeout(100);
  }
  const link = page.url();
  await page.reload();
  await page.waitForSelector('[data-testid="deck"]');
  assert.match(await page.locator(".deck-title").textContent(), /Sidecars, week 3/);
  assert.match(await page.locator('[data-testid="lesson-position"]').textContent(), /of 2$/);
  assert.equal(await page.locator('[data-testid="lesson-title"]').textContent(), "The adapter");
  const other = await browser.newPage();
  await other.goto(link);
  await other.waitForSelector('[data-testid="deck"][data-lesson="1"]');
  assert.match(await other.locator(".deck-title").textContent(), /Sidecars, week 3/);
  await other.close();
});

test("Fix makes a Job's classic helper a native sidecar, the Job completes, and one undo restores the text", async () => {
  await page.selectOption('[data-testid="example-select"]', "job-classic-sidecar");
  const finding = page.locator('[data-testid="diagnostic"][data-rule="classic-sidecar-in-job"]');
  await finding.waitFor();
  const before = await page.evaluate(() => window.podlabEditor.getDoc());
  await finding.locator('[data-testid="fix"]').click();
  await finding.waitFor({ state: "detached" });
  const after = await page.evaluate(() => window.podlabEditor.getDoc());
  assert.match(after, /\n      initContainers:\n      - name: log-shipper\n/);
  await page.selectOption('[data-testid="lifecycle-scenario"]', "job-completes");
  await page.waitForFunction(() => document.querySelector('[data-testid="scenario-outcome"]')?.textContent.includes("The Job completes"));
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+Z");
  await page.waitForFunction((text) => window.podlabEditor.getDoc() === text, before);
  await page.locator('[data-testid="diagnostic"][data-rule="classic-sidecar-in-job"]').waitFor();
});

// The first analysis leaves the fixes and the lifecycle out (their code comes with the second
// module); the panels, drawn once it is in, show them all the same.
test("a link's findings offer their fixes, and its lifecycle is whole", async () => {
  const manifest = readFileSync(join(here, "..", "..", "static", "examples", "job-classic-sidecar.yaml"), "utf8");
  await page.goto(origin + BASE + "#v1/" + deflateRawSync(JSON.stringify({ manifest })).toString("base64url"));
  await page.locator('[data-testid="lifecycle-stage"]').first().waitFor();
  const scenarios = await page.locator('[data-testid="lifecycle-scenario"] option').evaluateAll((o) => o.map((x) => x.value));
  assert.ok(scenarios.includes("job-completes"), `scenarios: ${scenarios}`);
  // Its kubectl line, laid out as kubectl lays it out, whatever the name's length (14 here).
  const status = page.locator('[data-testid="pod-status"]');
  const [head, row] = (await status.locator("pre").textContent()).split("\n");
  assert.match(head, /^NAME {13}READY {3}STATUS {3,}RESTARTS$/);
  assert.ok(row.startsWith("nightly-report   "), row);
  assert.equal(row.indexOf(await status.getAttribute("data-ready")), head.indexOf("READY"), `${head}\n${row}`);
  assert.equal(row.indexOf(await status.getAttribute("data-status")), head.indexOf("STATUS"), `${head}\n${row}`);
  const finding = page.locator('[data-testid="diagnostic"][data-rule="classic-sidecar-in-job"]');
  await finding.locator('[data-testid="fix"]').waitFor();
  await finding.locator('[data-testid="fix"]').click();
  await finding.waitFor({ state: "detached" });
  assert.match(await page.evaluate(() => window.podlabEditor.getDoc()), /\n      initContainers:\n      - name: log-shipper\n/);
});

// What kubectl get pod shows at each second of init-migration's start, as the engine's
// lifecycle.status gives it (`podlab analyze -o json static/examples/init-migration.yaml`): two
// init containers of a second each, the last status of a second being the one shown.
const INIT_MIGRATION_STATUS = [
  { at: 0, status: "Init:0/2", ready: "0/1", phase: "Pending" },
  { at: 1, status: "Init:1/2", ready: "0/1", phase: "Pending" },
  { at: 2, status: "Running", ready: "1/1", phase: "Running" },
];

test("the kubectl get pod line follows the animation step by step and when scrubbed", async () => {
  await page.selectOption('[data-testid="example-select"]', "init-migration");
  await page.waitForSelector('[data-testid="pod-status"]');
  const expected = (t) => INIT_MIGRATION_STATUS.filter((s) => s.at <= Math.floor(t)).pop() ?? INIT_MIGRATION_STATUS[0];
  const line = page.locator('[data-testid="pod-status"]');
  const shown = [];
  let last = 0;
  for (let i = 0; i < 12; i++) {
    const now = parseFloat(await page.locator('[data-testid="lifecycle-clock"]').textContent());
    if (now < last) break; // stepped past the end and started over
    last = now;
    const want = expected(now);
    assert.equal(await line.getAttribute("data-status"), want.status, `at ${now} s`);
    assert.equal(await line.getAttribute("data-ready"), want.ready, `at ${now} s`);
    assert.equal(await line.getAttribute("data-phase"), want.phase, `at ${now} s`);
    if (shown[shown.length - 1] !== want.status) shown.push(want.status);
    await page.click('[data-testid="lifecycle-step"]');
  }
  assert.deepEqual(shown, ["Init:0/2", "Init:1/2", "Running"]);
  // Scrubbing back to 1.5 s shows that second's status.
  await page.locator('[data-testid="lifecycle-scrub"]').fill("1.5");
  assert.equal(await line.getAttribute("data-status"), "Init:1/2");
  assert.match(await line.textContent(), /NAME\s+READY\s+STATUS\s+RESTARTS/);
  // Laid out as kubectl lays it out: each value under its column's name.
  const [head, row] = (await line.locator("pre").textContent()).split("\n");
  for (const [column, value] of [["READY", await line.getAttribute("data-ready")], ["STATUS", "Init:1/2"]]) {
    assert.equal(row.indexOf(value), head.indexOf(column), `${column}:\n${head}\n${row}`);
  }
  await page.locator('[aria-labelledby="lifecycle-h"]').screenshot({ path: join(shots, "pod-status.png") });
});

const stuckPod = () => readFileSync(join(here, "..", "..", "static", "workshop", "stuck-pod.yaml"), "utf8");

test("a live pod opens its panel above the containers; without its status there is none", async () => {
  assert.equal(await page.locator('[data-testid="live"]').count(), 0);
  await typeManifest(stuckPod());
  const live = page.locator('[data-testid="live"]');
  await live.waitFor();
  assert.equal(await live.getAttribute("data-status"), "Init:CrashLoopBackOff");
  assert.equal(await live.getAttribute("data-ready"), "0/2");
  assert.equal(await live.getAttribute("data-restarts"), "5");
  assert.equal(await live.getAttribute("data-blocked-by"), "migrate");
  // Above the containers.
  const [liveTop, cardsTop] = await Promise.all([live.boundingBox(), cards().first().boundingBox()]);
  assert.ok(liveTop.y < cardsTop.y);
  assert.equal(await page.locator('[data-testid="container-card"][data-holds-pod-back="true"]').getAttribute("data-container"), "migrate");
  assert.match(await page.locator('[data-container="migrate"] [data-testid="last-termination"]').textContent(), /exit code 1/);
  assert.equal(await page.locator('[data-lane="migrate"] [data-testid="live-here"]').count(), 1);
  await live.screenshot({ path: join(shots, "live.png") });
  await page.locator('[data-container="migrate"]').screenshot({ path: join(shots, "live-card.png") });

  // The same pod running: no one holds it back.
  const running = stuckPod().split("\nstatus:")[0] + `
status:
  phase: Running
  conditions:
  - {type: Initialized, status: "True"}
  - {type: Ready, status: "True"}
  - {type: ContainersReady, status: "True"}
  - {type: PodScheduled, status: "True"}
  initContainerStatuses:
  - name: migrate
    image: example/migrate:2.1
    imageID: ""
    ready: false
    restartCount: 0
    started: false
    state: {terminated: {exitCode: 0, reason: Completed}}
  - name: proxy
    image: envoyproxy/envoy:v1.30.1
    imageID: ""
    ready: true
    restartCount: 0
    started: true
    state: {running: {startedAt: "2026-11-30T08:00:05Z"}}
  containerStatuses:
  - name: app
    image: example/web:1.6.0
    imageID: ""
    ready: true
    restartCount: 0
    started: true
    state: {running: {startedAt: "2026-11-30T08:00:07Z"}}
`;
  await typeManifest(running);
  await page.waitForSelector('[data-testid="live"][data-status="Running"]');
  assert.equal(await live.getAttribute("data-ready"), "2/2");
  assert.equal(await live.getAttribute("data-blocked-by"), null);
  assert.equal(await page.locator('[data-holds-pod-back]').count(), 0);

  await typeManifest(stuckPod().split("\nstatus:")[0] + "\n");
  await page.waitForSelector('[data-testid="live"]', { state: "detached" });
  assert.equal(await page.locator('[data-testid="live-here"]').count(), 0);
});

test("waived findings show as waived, with who waived them; axe passes on the live panel and waived findings", async () => {
  const pod = (annotations) => `apiVersion: v1
kind: Pod
metadata:
  name: bare
${annotations}spec:
  containers:
  - name: app
    image: example/app:1.0
`;
  await typeManifest(pod(""));
  await page.waitForSelector('[data-testid="diagnostic"]');
  const rule = await page.locator('[data-testid="diagnostic"]').first().getAttribute("data-rule");
  assert.equal(await page.locator('[data-testid="diagnostic"][data-waived="true"]').count(), 0);
  await typeManifest(pod(`  annotations:\n    podlab.dev/ignore: "${rule}"\n`));
  const waived = page.locator(`[data-testid="diagnostic"][data-rule="${rule}"][data-waived="true"]`);
  await waived.waitFor();
  assert.match(await waived.locator('[data-testid="waiver"]').textContent(), /podlab\.dev\/ignore/);
  await page.locator('[aria-labelledby="findings-h"]').screenshot({ path: join(shots, "waived.png") });

  const axe = readFileSync(join(here, "..", "node_modules", "axe-core", "axe.min.js"), "utf8");
  await page.evaluate(axe);
  for (const text of [pod(`  annotations:\n    podlab.dev/ignore: "${rule}"\n`), stuckPod()]) {
    await typeManifest(text);
    await page.waitForTimeout(300);
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      // Let the colours settle: mid-switch, axe once measured :root's text against the old background.
      await page.waitForTimeout(300);
      const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
      const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
      assert.deepEqual(bad, [], `${scheme}:\n${bad.join("\n")}`);
    }
  }
});

// The page's WebAssembly comes in two modules (crates/split): what a first visit runs, and the rest,
// which the page loads once the editor is in place, before it draws the panels below the
// containers. A control that needs the rest before then gets it there and then.
// Holds back what waits for the second module (`podlabLater.ready()`), so that it comes only if a
// moved function is called, until the test calls `window.podlabReleaseLater()`.
async function holdingLater(context) {
  await context.addInitScript(() => {
    let later;
    let release;
    const held = new Promise((resolve) => (release = resolve));
    Object.defineProperty(window, "podlabLater", {
      configurable: true,
      get: () => later,
      set: (value) => {
        value.ready = () => held;
        window.podlabReleaseLater = () => release(value.prefetch());
        later = value;
      },
    });
  });
}

test("a first visit needs only the first module, whatever its link carries, until the editor is in place", async () => {
  const link = (manifest) => BASE + "#v1/" + deflateRawSync(JSON.stringify({ manifest })).toString("base64url");
  const visits = {
    "a plain open": BASE,
    "a manifest with a YAML error": link("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n  - name: [oops\n"),
    "a Helm template": link("{{ .Values.name }}\nkind: Pod\n"),
    "a damaged link": BASE + "#v1/not-a-link",
    "an example": link(readFileSync(join(here, "..", "..", "static", "examples", "ambassador.yaml"), "utf8")),
  };
  for (const [what, address] of Object.entries(visits)) {
    const context = await browser.newContext();
    await holdingLater(context);
    const p = guard(await context.newPage());
    try {
      await p.goto(origin + address);
      await editorReady(p);
      // And whatever the page does while the second module is on its way.
      await p.waitForTimeout(1000);
      assert.equal(await p.evaluate(() => window.podlabLater.linked), false, `${what} needed the second module: run scripts/split-profile`);
      // Then the panels below the containers come with it.
      if (what === "a plain open" || what === "an example") {
        await p.evaluate(() => window.podlabReleaseLater());
        await p.waitForSelector("#podlab-prerender", { state: "detached" });
        await p.waitForSelector('[data-testid="app"] [aria-labelledby="lifecycle-h"]');
        assert.equal(await p.evaluate(() => window.podlabLater.linked), true, `${what}: the second module is in`);
      }
    } finally {
      await context.close();
    }
  }
});

test("a function a first visit does not run, needed before the second module is in, is loaded there and then", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await holdingLater(context);
  const p = guard(await context.newPage());
  try {
    const wasm = [];
    p.on("request", (r) => { if (r.url().endsWith(".wasm")) wasm.push(r.url().split("/").pop()); });
    await p.goto(origin + BASE);
    await p.waitForSelector('[data-testid="app"] [data-testid="container-card"]');
    await editorReady(p);
    assert.equal(await p.evaluate(() => window.podlabLater.linked), false, "the first analysis ran on the first module alone");
    assert.deepEqual(wasm.map((f) => f.replace(/^.*_/, "")), ["bg.wasm"]);
    await p.click('[data-testid="workshop-open"]');
    await p.waitForSelector('[data-testid="quiz"]');
    assert.equal(await p.evaluate(() => window.podlabLater.linked), true, "the workshop needed the second module");
    assert.ok(wasm.some((f) => f.endsWith("_later.wasm")), `the second module was requested: ${wasm}`);
    assert.equal(await p.locator('[data-testid="lesson-position"]').textContent(), "Lesson 1 of 10");
    // The second module is in the offline store all the same (the page puts what the synchronous
    // request brought there), once what waits for it goes on.
    await p.evaluate(() => window.podlabReleaseLater());
    await p.waitForSelector("#podlab-prerender", { state: "detached" });
    await p.waitForFunction(() => document.documentElement.dataset.offlineReady === "true", null, { timeout: 30000 });
    const stored = await p.evaluate(async () => {
      const cache = await caches.open((await caches.keys()).find((k) => k.startsWith("podlab-")));
      const res = await cache.match(window.podlabLater.url);
      return res ? (await res.arrayBuffer()).byteLength : 0;
    });
    assert.ok(stored > 100000, `the second module is stored (${stored} bytes)`);
  } finally {
    await context.close();
  }
});
