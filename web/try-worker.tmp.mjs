import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";
const server = await serve({ dir: "/work/wt-worker/dist", port: 0, base: "/podlab/", gzip: true });
const url = `http://127.0.0.1:${server.address().port}/podlab/`;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"] });
const page = await browser.newPage();
page.on("console", (m) => console.log("console:", m.type(), m.text()));
page.on("pageerror", (e) => console.log("pageerror:", e.message));
page.on("worker", (w) => console.log("worker:", w.url()));
page.on("request", (r) => console.log("req:", r.url().replace(url, "")));
await page.addInitScript(() => {
  const W = window.Worker;
  window.answerTasks = [];
  window.Worker = class extends W {
    constructor(...a) {
      super(...a);
      this.addEventListener("message", () => {
        const t0 = performance.now();
        const ch = new MessageChannel();
        ch.port1.onmessage = () => window.answerTasks.push(performance.now() - t0);
        ch.port2.postMessage(0);
      });
    }
  };
});
await page.goto(url);
await page.waitForSelector(".cm-editor");
await page.waitForFunction(() => document.documentElement.dataset.offlineReady === "true", null, { timeout: 30000 });
await page.waitForTimeout(500);
const example = await page.evaluate(() => window.podlabEditor.getDoc());
const big = Array.from({ length: Math.ceil(2000 / example.split("\n").length) }, (_, i) =>
  example.replace("name: storefront\nspec", `name: storefront-${i}\nspec`)).join("---\n");
await page.evaluate((d) => window.podlabEditor.setDoc(d), big);
await page.waitForTimeout(1500);
const work = [], times = [];
for (let i = 0; i < 21; i++) {
  const [total, busy] = await page.evaluate(async (n) => {
    const doc = window.podlabEditor.getDoc();
    const m = /replicas: (\d+)/.exec(doc);
    const from = m.index + "replicas: ".length;
    const t0 = performance.now();
    window.podlabEditor.applyChangesJson(JSON.stringify([{ from, to: from + m[1].length, insert: String(n) }]));
    const busy = await new Promise((r) => requestAnimationFrame((frame) => r(performance.now() - frame)));
    while (!document.body.innerText.includes(`× ${n} replicas`)) {
      if (performance.now() - t0 > 5000) throw new Error("the analysis did not update");
      await new Promise((r) => requestAnimationFrame(r));
    }
    return [performance.now() - t0, busy];
  }, i + 5);
  work.push(busy); times.push(total);
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tasks = await page.evaluate(() => window.answerTasks);
console.log("busy median", med(work).toFixed(1), "max", Math.max(...work).toFixed(1));
console.log("on screen median", med(times).toFixed(1), "max", Math.max(...times).toFixed(1));
const reads = await page.evaluate(() => performance.getEntriesByName("podlab-answer-read").map((e) => e.duration));
console.log("reads", reads.length, "median", med(reads).toFixed(1), "max", Math.max(...reads).toFixed(1));
console.log("answer tasks", tasks.length, "median", med(tasks).toFixed(1), "max", Math.max(...tasks).toFixed(1));
await browser.close(); server.close();
