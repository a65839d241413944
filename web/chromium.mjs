// Headless Chromium for the end-to-end tests and benchmarks: Debian's /usr/bin/chromium (or
// $CHROMIUM), with the flags this machine needs (no background networking: its closed network
// refuses those connections).
import { chromium } from "playwright-core";

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
}
