/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core against a server started
 * here (embedded database, national grid, demo workload on). Signs in with the admin token, checks the
 * overview's numbers against the API's, opens an institution, a cluster and a job page, checks keyboard
 * and chart accessibility basics, and writes screenshots to test-output/screenshots/.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { startNcg, type RunningNcg } from '../../src/main.js';
import { requireService } from '../helpers/require-service.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-output', 'screenshots');

const gate = await requireService('chromium', async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is not installed`);
  const r = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 15_000 });
  if (r.status !== 0 || !/Chromium/.test(r.stdout)) throw new Error(`${CHROMIUM} --version failed: ${r.stderr || r.stdout}`);
});

describe.runIf(gate.available)('the dashboard in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ncg-dash-'));
  let ncg: RunningNcg;
  let token: string;
  let browser: BrowserContext;
  let page: Page;
  let base: string;

  const api = async (path: string): Promise<any> => {
    const res = await fetch(`${base}/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status, path).toBe(200);
    return res.json();
  };
  const kpis = (p: Page) => p.$$eval('[data-kpi]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-kpi'), e.getAttribute('data-value')])));

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const config = loadConfig({ overrides: { dataDir, 'http.host': '127.0.0.1', 'http.port': '0', 'grpc.port': '0', 'log.level': 'silent', 'demo.load': 'true', 'demo.jobsPerMinute': '30' } });
    ncg = await startNcg(config, createLogger('silent'));
    token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    base = `http://127.0.0.1:${ncg.http.port}`;
    // A fresh profile per run (playwright passes it to Chromium as --user-data-dir).
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ncg-chromium-')), {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
      viewport: { width: 1400, height: 1000 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    // Let the demo's first burst be scheduled and charged, so the page has something to show.
    for (let i = 0; i < 60 && (await api('/dashboard/overview')).inUse.gpus === 0; i++) await new Promise((r) => setTimeout(r, 1_000));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await ncg?.close();
  }, 60_000);

  it('asks for a token, signs in, and shows the overview with the API’s numbers', async () => {
    await page.goto(`${base}/`);
    await page.waitForSelector('#signin:not([hidden])');
    await page.fill('#token', 'ncg_not-a-real-token');
    await page.click('#signin button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#signin-error')?.textContent?.includes('unknown'));
    await page.fill('#token', token);
    await page.click('#signin button[type=submit]');
    await page.waitForSelector('[data-kpi="capacity-gpus"]');
    expect(await page.evaluate(() => sessionStorage.getItem('ncg.token'))).toBe(token);

    // Live numbers move with the demo: compare a page render and an API answer taken together, a few times if needed.
    let matched = false;
    for (let attempt = 0; attempt < 6 && !matched; attempt++) {
      await page.reload();
      await page.waitForSelector('[data-kpi="capacity-gpus"]');
      const [shown, o] = await Promise.all([kpis(page), api('/dashboard/overview')]);
      expect(Number(shown['capacity-gpus'])).toBe(o.capacity.gpus);
      expect(Number(shown['capacity-pflops'])).toBe(o.capacity.bf16Pflops);
      matched =
        Number(shown['in-use-gpus']) === o.inUse.gpus && Number(shown['queue-jobs']) === o.queue.jobs &&
        Number(shown['institutions-served']) === o.institutionsServed.served && Number(shown['gpu-hours-delivered']) === o.national.gpuHoursDelivered;
    }
    expect(matched, 'overview numbers equal the API’s in one of six tries').toBe(true);
    const o = await api('/dashboard/overview');
    const k = await api(`/kpis?period=${o.period}`);
    expect(o.capacity.gpus).toBe(2_816);
    expect(k.national.capacity.gpus).toBe(2_816);
    expect(o.inUse.gpus).toBeGreaterThan(0);
    // Every chart is a captioned figure; every drawn chart is an image with a title and a description.
    expect(await page.locator('#view figure > figcaption').count()).toBe(5);
    const drawn = await page.locator('svg.chart').count();
    expect(drawn).toBeGreaterThanOrEqual(3);
    expect(await page.locator('svg.chart[role="img"] > title + desc').count()).toBe(drawn);
    expect(await page.locator('#view h1').textContent()).toBe('National overview');
    await page.screenshot({ path: join(SHOTS, 'overview.png'), fullPage: true });
  }, 120_000);

  it('is reachable by keyboard: the first Tab lands on the skip link, and the nav links follow', async () => {
    await page.goto(`${base}/`);
    await page.waitForSelector('[data-kpi="capacity-gpus"]');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Overview');
  });

  it('opens an institution page with its allocation and pending jobs', async () => {
    // An institution with work on the grid right now (the demo's jobs).
    const busy = ((await api('/jobs?limit=100')).items.find((j: any) => j.state === 'running') ?? (await api('/jobs?limit=1')).items[0]).institution as string;
    await page.goto(`${base}/#/institution/${busy}`);
    await page.waitForSelector('[data-kpi="institution-gpu-hours"]');
    const d = await api(`/dashboard/institutions/${busy}`);
    expect(await page.locator('#view h1').textContent()).toBe(d.institution.name);
    const shown = await kpis(page);
    for (const a of d.allocations) expect(Number(shown[`awarded-${a.allocationId}`])).toBe(a.awardedGpuHours);
    expect(d.allocations.length).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'institution.png'), fullPage: true });
  }, 60_000);

  it('opens a cluster page with pools and nodes', async () => {
    const c = (await api('/clusters')).items[0];
    await page.goto(`${base}/#/cluster/${c.id}`);
    await page.waitForSelector('[data-kpi="nodes-up"]');
    expect(Number((await kpis(page))['nodes-up'])).toBe(c.pools.reduce((s: number, p: any) => s + p.healthyNodes, 0));
    await page.screenshot({ path: join(SHOTS, 'cluster.png'), fullPage: true });
  }, 60_000);

  it('opens a job page with its state timeline', async () => {
    const job = (await api('/jobs?limit=20')).items.find((j: any) => j.state === 'running') ?? (await api('/jobs?limit=1')).items[0];
    await page.goto(`${base}/#/job/${job.id}`);
    await page.waitForSelector('[data-kpi="job-state"]');
    const detail = await api(`/jobs/${job.id}`);
    expect(await page.locator('.timeline li').count()).toBe(detail.events.length);
    expect(['queued', 'dispatching', 'running', 'succeeded', 'failed', 'cancelled', 'preempted']).toContain((await kpis(page))['job-state']);
    await page.screenshot({ path: join(SHOTS, 'job.png'), fullPage: true });
  }, 60_000);
});
