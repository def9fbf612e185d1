// Drives Debian's headless Chromium through the gateway's web UI (run by UiBrowserIT, which starts the
// gateway with a small town and a schedule). Env: BASE_URL, SHOT_DIR, PROFILE_DIR, CHROMIUM (default
// /usr/bin/chromium). Prints one JSON line of findings; exits non-zero on the first failed check.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const base = process.env.BASE_URL;
const shots = process.env.SHOT_DIR;
const profile = process.env.PROFILE_DIR;
mkdirSync(shots, { recursive: true });

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
});
const found = {};
const errors = [];
function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what);
}

try {
  const page = await context.newPage();
  page.on('pageerror', e => errors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.setDefaultTimeout(20000);

  async function login(id, password) {
    await page.goto(base + '/ui/');
    await page.fill('#participantId', id);
    await page.fill('#password', password);
    await page.click('#submit');
    await page.waitForURL(u => !u.pathname.endsWith('/index.html') && u.pathname !== '/ui/');
    await page.waitForSelector('body[data-loaded="true"]');
  }

  // a wrong password is refused on the page
  await page.goto(base + '/ui/');
  await page.fill('#participantId', 'bob');
  await page.fill('#password', 'not-his-password');
  await page.click('#submit');
  await page.waitForFunction(() => document.getElementById('error').textContent.length > 0);
  found.loginError = await page.textContent('#error');
  await page.screenshot({ path: shots + '/01-login-refused.png' });
  errors.length = 0; // the refused login's 401 is expected; from here on nothing may fail

  // bob: prosumer and EV owner — my energy
  await login('bob', 'bob-password');
  check(page.url().endsWith('/ui/energy.html'), 'bob lands on my energy, got ' + page.url());
  found.energyStageBefore = await page.textContent('#stage');
  found.energyMeter = await page.textContent('#kpi-meter');
  found.energySchedule = await page.textContent('#kpi-sched');
  check(found.energyStageBefore.includes('gate'), 'schedule of gate closure shown: ' + found.energyStageBefore);
  check(/kWh/.test(found.energyMeter), 'today\'s meter shown: ' + found.energyMeter);
  found.settled = await page.textContent('#settled');
  found.certificates = await page.textContent('#certificates');
  // my data: who read it and why; opt in to share demand data
  found.accessLog = await page.textContent('#access-log');
  check(found.accessLog.includes(process.env.LOGGED_PURPOSE), 'the admin\'s read is in bob\'s log: ' + found.accessLog);
  const saved = page.waitForResponse(r => r.url().endsWith('/api/me/consents') && r.request().method() === 'PUT');
  await page.check('#c-demand');
  found.consentStatus = (await saved).status();
  await page.screenshot({ path: shots + '/02-energy-bob.png', fullPage: true });

  // my jobs: accept the offered job
  await page.click('text=My jobs');
  await page.waitForSelector('body[data-loaded="true"]');
  await page.waitForSelector('.job[data-status="offered"]');
  found.jobPay = await page.textContent('.job .pay');
  found.timelineStops = await page.locator('.job .timeline .stop').count();
  check(found.timelineStops > 0, 'itinerary on a timeline');
  await page.screenshot({ path: shots + '/03-jobs-offered.png', fullPage: true });
  await page.click('.job[data-status="offered"] button[data-act="accept"]');
  await page.waitForSelector('.job[data-status="accepted"]');
  found.kpiPayAfterAccept = await page.textContent('#kpi-pay');
  await page.screenshot({ path: shots + '/04-jobs-accepted.png', fullPage: true });
  await page.click('#logout');
  await page.waitForURL(u => u.pathname.endsWith('/index.html'));

  // carol declines hers: the market re-plans around bob's accepted job
  await login('carol', 'carol-password');
  check(page.url().endsWith('/ui/jobs.html'), 'carol lands on my jobs, got ' + page.url());
  await page.waitForSelector('.job[data-status="offered"]');
  await page.click('.job[data-status="offered"] button[data-act="decline"]');
  await page.waitForSelector('.job[data-status="declined"]', { timeout: 120000 });
  await page.screenshot({ path: shots + '/05-jobs-declined.png', fullPage: true });
  await page.click('#logout');
  await page.waitForURL(u => u.pathname.endsWith('/index.html'));

  // bob sees the schedule change
  await login('bob', 'bob-password');
  found.energyStageAfter = await page.textContent('#stage');
  check(found.energyStageAfter !== found.energyStageBefore && found.energyStageAfter.includes('replan'),
    'schedule changed after the re-plan: ' + found.energyStageBefore + ' -> ' + found.energyStageAfter);
  await page.screenshot({ path: shots + '/06-energy-bob-after-replan.png', fullPage: true });
  await page.click('#logout');
  await page.waitForURL(u => u.pathname.endsWith('/index.html'));

  // alice: the factory's offers and what was sold
  await login('alice', 'alice-password');
  found.aliceMoney = await page.textContent('#kpi-money');
  await page.screenshot({ path: shots + '/07-energy-alice.png', fullPage: true });
  await page.click('#logout');
  await page.waitForURL(u => u.pathname.endsWith('/index.html'));

  // olga: the grid operator's aggregated view
  await login('olga', 'olga-password');
  check(page.url().endsWith('/ui/grid.html'), 'olga lands on grid, got ' + page.url());
  // the delivery day's schedule per feeder
  await page.evaluate(() => { document.body.dataset.loaded = 'false'; });
  await page.fill('#day', process.env.DELIVERY_DAY);
  await page.dispatchEvent('#day', 'change');
  await page.waitForSelector('body[data-loaded="true"]');
  found.feederRows = await page.locator('#feeders table tr').count();
  found.feeders = await page.textContent('#feeders');
  found.fleet = await page.textContent('#fleet');
  check(found.feederRows >= 3, 'feeders table with F1 and F2');
  await page.screenshot({ path: shots + '/08-grid-operator.png', fullPage: true });

  found.pageErrors = errors;
  check(errors.length === 0, 'no errors in the pages: ' + errors.join(' | '));
  console.log(JSON.stringify(found));
} catch (e) {
  for (const pg of context.pages()) await pg.screenshot({ path: shots + '/failure.png', fullPage: true }).catch(() => {});
  console.error('page errors: ' + errors.join(' | '));
  throw e;
} finally {
  await context.close();
}
