// Drives `byok demo --browser` in a headless Chromium, as a presenter
// would: byok opens the consent URL through $BROWSER (a small wrapper
// that hands it to this driver), the driver clicks through the simulated
// Microsoft pages by their visible text, and byok's verdict is checked.
//
// Every page is checked at 1280x800 and 390x844 (screenshots), and for
// width at 320, 390, 1280 and 1920 px; every page is run through axe-core.
// The run fails on a page error, a console error, a missing page (a
// Chromium error page such as ERR_EMPTY_RESPONSE), a page wider than the
// viewport, a serious or critical accessibility finding, a scenario that
// does not report its promised code, or a loopback landing without the
// "Done" page.
//
// Environment: BYOK (the byok binary, required), CHROMIUM (default
// /usr/bin/chromium), ARTIFACTS (screenshots; default a temp dir),
// LANDINGS (happy-path loopback landings in a row, default 20),
// SCENARIOS (comma-separated subset).

import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import puppeteer from "puppeteer-core";
import axe from "axe-core";

const BYOK = process.env.BYOK;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const LANDINGS = Number(process.env.LANDINGS || 20);
const ART = process.env.ARTIFACTS || fs.mkdtempSync(path.join(os.tmpdir(), "byok-browser-"));
const SCENARIO_TIMEOUT_MS = 60_000;

if (!BYOK) {
  console.error("browser test: set BYOK to the byok binary");
  process.exit(2);
}
fs.mkdirSync(ART, { recursive: true });

// What each demo scenario does in the browser and what byok must report
// (the code its description promises; sim/scenarios.go's ExpectCode).
//   signin: "type" the address and press Next, or "pick" the account tile
//   keys:   with the keyboard alone (Tab to the control, Enter), not the mouse
//   press:  the button pressed on the consent page
//   end:    "done" (loopback Done page), "failed" (loopback "Sign-in
//           failed" page), "paste" (Microsoft's page stays; its text is
//           pasted into byok while it waits) or "none" (byok fails
//           before the browser)
//   exit:   byok's exit status; expect: text byok's output must contain
const SCENARIOS = {
  "happy": { name: "Alex Wilber", upn: "alex@contoso.com", signin: "type", press: "Accept", end: "done", exit: 0, expect: "It works" },
  "redirect-mismatch": { end: "paste", exit: 1, expect: "AADSTS50011" },
  "secret-id-pasted": { end: "none", exit: 1, expect: "AADSTS7000215" },
  "secret-expired": { end: "none", exit: 1, expect: "AADSTS7000222" },
  "single-tenant-common": { upn: "alex@contoso.com", end: "failed", exit: 1, expect: "AADSTS50194" },
  "personal-account-blocked": { name: "Sam Taylor", upn: "sam@outlook.com", signin: "pick", end: "paste", exit: 1, expect: "unauthorized_client" },
  "admin-approval-required": { name: "Alex Wilber", upn: "alex@contoso.com", signin: "pick", press: "Accept", end: "failed", exit: 1, expect: "AADSTS90094" },
  "consent-declined": { name: "Alex Wilber", upn: "alex@contoso.com", signin: "pick", keys: true, press: "Cancel", end: "failed", exit: 1, expect: "AADSTS65004" },
  "personal-account": { name: "Sam Taylor", upn: "sam@outlook.com", signin: "type", keys: true, press: "Accept", end: "done", exit: 0, expect: "connected as sam@outlook.com" },
  "permission-not-granted": { name: "Sam Taylor", upn: "sam@outlook.com", signin: "pick", press: "Accept", end: "done", exit: 1, expect: "User.ReadBasic.All" },
  // byok create's demo signs the admin in without the browser (so far)
  "create": { end: "none", exit: 0, expect: "It works" },
  "mailbox-not-licensed": { name: "Lee Chen", upn: "lee@contoso.com", signin: "pick", press: "Accept", end: "done", exit: 1, expect: "Exchange Online" },
};

const SIZES = [
  { width: 1280, height: 800, shot: true },
  { width: 390, height: 844, shot: true, mobile: true },
  { width: 320, height: 640, mobile: true },
  { width: 1920, height: 1080 },
];

const failures = [];
function fail(where, what) {
  failures.push(`${where}: ${what}`);
  console.log(`  FAIL ${where}: ${what}`);
}

// The $BROWSER wrapper appends each URL to a queue file this driver reads.
const work = fs.mkdtempSync(path.join(os.tmpdir(), "byok-browser-work-"));
const queue = path.join(work, "urls");
const wrapper = path.join(work, "browser.sh");
fs.writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${queue}'\n`, { mode: 0o755 });

// The scenarios byok knows: every one must have an entry above.
const known = execFileSync(BYOK, ["demo", "--list"], { encoding: "utf8" })
  .split("\n").map((l) => l.split(/\s+/)[0]).filter(Boolean);
for (const n of known) if (!SCENARIOS[n]) fail(n, "no expectation in tests/browser/run.mjs for this demo scenario");
const only = process.env.SCENARIOS ? process.env.SCENARIOS.split(",") : known;

const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  protocolTimeout: 30_000,
  userDataDir: path.join(work, "profile"),
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});

// runByok starts `byok demo --browser --scenario name` and returns the
// process with its output collected.
function runByok(name) {
  fs.writeFileSync(queue, "");
  const env = { ...process.env, BROWSER: wrapper, NO_COLOR: "1", BYOK_DB: path.join(work, `${name}.db`) };
  const child = spawn(BYOK, ["demo", "--browser", "--scenario", name], { env, stdio: ["pipe", "pipe", "pipe"] });
  const run = { child, out: "", exited: null };
  child.stdout.on("data", (d) => (run.out += d));
  child.stderr.on("data", (d) => (run.out += d));
  run.done = new Promise((resolve) => child.on("exit", (code, sig) => resolve((run.exited = { code, sig }))));
  return run;
}

// nextURL waits for byok to open a URL, or to exit first (null).
async function nextURL(run) {
  const deadline = Date.now() + SCENARIO_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const line = fs.readFileSync(queue, "utf8").split("\n").find(Boolean);
    if (line) return line;
    if (run.exited) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

// outputShows waits (at most 10 s) until byok's terminal output matches
// re, or byok exits.
async function outputShows(run, re) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (re.test(run.out)) return true;
    if (run.exited) return re.test(run.out);
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

// watch records page errors, console errors and failed requests.
function watch(page, where) {
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const loc = m.location()?.url || "";
    // Microsoft's error pages are served with HTTP 400, as Microsoft's
    // are; Chromium logs that for the document itself. Nothing else.
    if (/status of 400/.test(m.text()) && loc === page.url()) return;
    problems.push(`console error: ${m.text()} (${loc})`);
  });
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  return () => problems.splice(0).forEach((p) => fail(where, p));
}

// kind says which page the browser shows.
async function kind(page) {
  if (page.url().startsWith("chrome-error://")) return "missing";
  return page.evaluate(() => {
    const h1 = document.querySelector("h1")?.textContent.trim();
    if (document.getElementById("signin-page")) return "signin";
    if (document.getElementById("password-page")) return "password";
    if (document.getElementById("consent-page")) return "consent";
    if (document.getElementById("approval")) return "approval";
    if (document.getElementById("error-page")) return "error";
    if (location.hostname === "localhost" && h1 === "Done") return "done";
    if (location.hostname === "localhost" && h1 === "Sign-in failed") return "failed";
    return "other: " + (h1 || document.title || location.href);
  });
}

// inspect checks one page at every size and runs axe-core on it. Phone
// sizes are rendered in a second, mobile page from the same HTML (the
// pages are self-contained): switching the real page to mobile emulation
// would reload it, re-posting a form or knocking on a loopback listener
// that has already closed.
async function inspect(page, phone, where, shots) {
  const html = await page.content();
  for (const s of SIZES) {
    let p = page;
    if (s.mobile) {
      p = phone;
      await p.bringToFront();
      await p.setViewport({ width: s.width, height: s.height, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
      await p.setContent(html, { waitUntil: "load" });
    } else {
      await p.setViewport({ width: s.width, height: s.height });
    }
    const w = await p.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    if (w.scroll > w.inner) fail(where, `page is ${w.scroll}px wide in a ${w.inner}px viewport`);
    if (s.shot && shots) await p.screenshot({ path: path.join(ART, `${where}-${s.width}x${s.height}.png`), fullPage: true });
    if (s.mobile) {
      // and with every "Show details" and permission description open
      const open = await p.evaluate(() => {
        document.querySelectorAll("details").forEach((d) => (d.open = true));
        return { scroll: document.documentElement.scrollWidth, inner: window.innerWidth };
      });
      if (open.scroll > open.inner) fail(where, `page with its details open is ${open.scroll}px wide in a ${open.inner}px viewport`);
      if (s.shot && shots && html.includes("<details")) await p.screenshot({ path: path.join(ART, `${where}-${s.width}x${s.height}-open.png`), fullPage: true });
    }
  }
  await page.bringToFront(); // a background tab is throttled: clicks would stall
  await page.setViewport({ width: 1280, height: 800 });
  if (!shots) return;
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () =>
    (await window.axe.run(document, { resultTypes: ["violations"] })).violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 3),
    })));
  for (const v of violations) {
    const line = `axe ${v.impact}: ${v.id} (${v.help}) at ${v.nodes.join(", ")}`;
    if (v.impact === "serious" || v.impact === "critical") fail(where, line);
    else console.log(`  note ${where}: ${line}`);
  }
}

// clickText clicks the button, link or summary whose visible text is
// exactly text, and waits for the page it leads to.
async function clickText(page, where, text) {
  const handle = await page.evaluateHandle((t) =>
    [...document.querySelectorAll("button, a, summary, [role=button]")].find((e) => e.innerText.trim().split("\n")[0].trim() === t), text);
  const el = handle.asElement();
  if (!el) {
    fail(where, `nothing to click reads "${text}"`);
    return false;
  }
  await Promise.all([page.waitForNavigation({ waitUntil: "load", timeout: 15_000 }).catch((e) => fail(where, `after "${text}": ${e.message}`)), el.click()]);
  return true;
}

// keyText reaches the control whose visible text is text with the Tab key
// alone and presses Enter on it, as a keyboard user would; it fails when
// the control can't be reached or has no visible focus indicator.
async function keyText(page, where, text) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const st = getComputedStyle(e);
      return { text: e.innerText.trim().split("\n")[0].trim(), ring: st.outlineStyle !== "none" && parseFloat(st.outlineWidth) > 0 };
    });
    if (focused?.text !== text) continue;
    if (!focused.ring) fail(where, `"${text}" has no visible focus ring`);
    await Promise.all([page.waitForNavigation({ waitUntil: "load", timeout: 15_000 }).catch((e) => fail(where, `after Enter on "${text}": ${e.message}`)),
      page.keyboard.press("Enter")]);
    return true;
  }
  fail(where, `Tab never reaches "${text}"`);
  return false;
}

// play runs one scenario; full: screenshots and axe on every page.
async function play(name, full, label) {
  const sc = SCENARIOS[name];
  const where = label || name;
  const run = runByok(name);
  const timer = setTimeout(() => run.child.kill("SIGKILL"), SCENARIO_TIMEOUT_MS * 2);
  let landed = null;
  try {
    const url = await nextURL(run);
    if (!url) {
      if (sc.end !== "none") fail(where, "byok never opened the browser");
    } else {
      if (sc.end === "none") fail(where, "byok opened the browser but was expected to stop before");
      // byok names the account right after it opens the browser, so the
      // line can still be on its way when the URL arrives: wait for it.
      if (sc.upn && !(await outputShows(run, new RegExp(`[Ss]ign in as ${sc.upn.replace(".", "\\.")}`)))) {
        fail(where, `the terminal does not say which account to use (${sc.upn}):\n${run.out}`);
      }
      const ctx = await browser.createBrowserContext();
      const page = await ctx.newPage();
      const flush = watch(page, where);
      const phone = await ctx.newPage();
      const flushPhone = watch(phone, where + " (phone copy)");
      // the copy has no server behind it: nothing may load from anywhere
      await phone.setRequestInterception(true);
      phone.on("request", (r) => (r.url().startsWith("data:") || r.url() === "about:blank" ? r.continue() : r.abort()));
      await page.setViewport({ width: 1280, height: 800 });
      await page.goto(url, { waitUntil: "load" }).catch((e) => fail(where, `open ${url}: ${e.message}`));
      for (let step = 1; step <= 8 && !landed; step++) {
        const k = await kind(page);
        const at = `${where}-${step}-${k.split(":")[0]}`;
        if (k === "missing" || k.startsWith("other")) {
          fail(at, `unexpected page: ${k} at ${page.url()}`);
          break;
        }
        await inspect(page, phone, at, full);
        flush();
        flushPhone();
        switch (k) {
          case "signin":
            if (sc.signin === "type") {
              await page.type("input[type=email]", sc.upn);
              if (sc.keys) {
                // the address field has focus on arrival (autofocus): Enter submits
                await Promise.all([page.waitForNavigation({ waitUntil: "load", timeout: 15_000 }).catch((e) => fail(at, `after Enter: ${e.message}`)),
                  page.keyboard.press("Enter")]);
              } else await clickText(page, at, "Next");
            } else if (!(await (sc.keys ? keyText : clickText)(page, at, sc.name || "Alex Wilber"))) landed = "stuck";
            break;
          case "consent":
            if (!(await (sc.keys ? keyText : clickText)(page, at, sc.press || "Accept"))) landed = "stuck";
            break;
          case "approval":
            if (!(await clickText(page, at, "Return to the application without granting consent"))) landed = "stuck";
            break;
          case "error": {
            const text = await page.evaluate(() => document.body.innerText);
            run.child.stdin.write(text + "\n");
            run.child.stdin.end();
            landed = "paste";
            break;
          }
          default:
            landed = k;
        }
      }
      flush();
      flushPhone();
      await ctx.close();
      if (landed !== sc.end) fail(where, `ended on "${landed}", want "${sc.end}"`);
    }
    if (!run.child.stdin.destroyed) run.child.stdin.end();
    const exit = await run.done;
    if (!run.out.includes(sc.expect)) fail(where, `byok's output lacks "${sc.expect}":\n${run.out}`);
    if (exit.code !== sc.exit) fail(where, `byok exited ${exit.code ?? exit.sig}, want ${sc.exit}:\n${run.out}`);
    if (/--redirect paste/.test(run.out)) fail(where, "byok suggests --redirect paste, which demo does not have");
  } finally {
    clearTimeout(timer);
  }
  return landed;
}

const started = Date.now();
for (const name of only) {
  if (!SCENARIOS[name]) continue;
  console.log(`scenario ${name}`);
  await play(name, true);
}
if (only.includes("happy") && LANDINGS > 0) {
  console.log(`${LANDINGS} loopback landings in a row (happy)`);
  let done = 0;
  for (let i = 1; i <= LANDINGS; i++) {
    const before = failures.length;
    const landed = await play("happy", false, `landing-${i}`);
    if (landed === "done" && failures.length === before) done++;
  }
  console.log(`  ${done} of ${LANDINGS} landings delivered the Done page`);
  if (done !== LANDINGS) fail("landings", `${LANDINGS - done} of ${LANDINGS} landings failed`);
}
await browser.close();
fs.rmSync(work, { recursive: true, force: true });

console.log(`\nscreenshots: ${ART}`);
console.log(`${failures.length ? "FAILED" : "passed"} in ${((Date.now() - started) / 1000).toFixed(1)} s` +
  (failures.length ? `: ${failures.length} problem(s)` : ""));
process.exit(failures.length ? 1 : 0);
