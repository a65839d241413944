// Screenshot helper for reviewing the page by eye: node web/shot.mjs URL OUT.png [width] [height] [dark]
import { chromium } from "playwright-core";
const [url, out, w = "1280", h = "800", scheme = "light"] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"] });
const page = await browser.newPage({ viewport: { width: Number(w), height: Number(h) }, colorScheme: scheme });
page.on("console", (m) => console.log(`console.${m.type()}: ${m.text()}`));
page.on("pageerror", (e) => console.log(`pageerror: ${e.stack}`));
await page.goto(url);
await page.waitForSelector('[data-testid="container-card"]', { timeout: 15000 }).catch((e) => console.log(String(e)));
await page.screenshot({ path: out, fullPage: false });
await browser.close();
