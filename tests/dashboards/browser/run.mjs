// Drives headless Chromium over the harness pages: one browser for the whole plan, one page per job, jobs and
// their drilldown targets on up to HARNESS_PAGES (default 3) pages at once.
//   node run.mjs plan.json report.json
// plan: {base, chromium, jobs: [{id, path, width, steps}]}
// A step is {select: inputId, option: label} | {timerange: label} | {resize: width} | {png, pdf, thumb: file} |
// {click: vizId, row, follow}. The job records a snapshot of every panel as drawn (see snapshot()) after the load and
// after each select/timerange/resize, with the page and console errors and the requests that left 127.0.0.1
// (blocked). A click records the URL it opened (a new tab's URL is recorded, not loaded); with follow, a dashboard it
// opened in the same tab is loaded on its own page and snapshotted. Python decides what is right.
import fs from 'node:fs';
import { chromium } from 'playwright-core';

const [planPath, reportPath] = process.argv.slice(2);
const plan = JSON.parse(fs.readFileSync(planPath, 'utf8'));
const SETTLE_POLL_MS = 100;
const SETTLE_STABLE_POLLS = 5; // unchanged for half a second with nothing in flight
const SETTLE_BROKEN_POLLS = 20; // a search that never finishes (a broken chain): 2 s unchanged, nothing in flight
const PAGE_TIMEOUT_MS = 120000; // a bound for a stuck page, far above a normal load (seconds)
const CLICK_TIMEOUT_MS = 15000; // a bound for a drilldown to open its link (pages load in parallel: be patient)

// Everything the tests read from one rendered dashboard, in the page.
function snapshot() {
    const h = window.__harness || {};
    const cellLook = (td) => {
        // the line boxes of the cell's text (a range over a text node gives one rectangle per line)
        const tops = new Set();
        const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const range = document.createRange();
            range.selectNodeContents(node);
            [...range.getClientRects()].filter((r) => r.width > 0).forEach((r) => tops.add(Math.round(r.top)));
        }
        const styled = [td, ...td.querySelectorAll('*')].find((e) => {
            const bg = getComputedStyle(e).backgroundColor;
            return bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent';
        }) || td;
        return { background: getComputedStyle(styled).backgroundColor, color: getComputedStyle(td.querySelector('*') || td).color,
            lines: tops.size };
    };
    const text = (el) => (el ? el.textContent.trim() : null);
    // The lines a stretch of a text node is drawn on (a range gives one rectangle per line).
    const linesOf = (node, start, end) => {
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, end);
        return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
    };
    // Words of a cell drawn on more than one line: a text without a blank (each text node on its own: a multivalue
    // cell draws one value a line), and inside a longer text, an id (ID_TOKEN, its brackets and punctuation aside):
    // a command's instance ids, regions and options, an ARN or IP address in a sentence; or a name (NAME_TOKEN): a
    // user, role, key pair or host name, a user agent's product/version, an instance type, error code or finding
    // type, i.e. letters joined to more by - . / _ @ : # (svc-backup-uploader, Boto3/1.35.10, g4dn.12xlarge,
    // Client.DryRunOperation, pool.supportxmr.com). Prose compounds (PROSE: two words of letters joined by one - or
    // /, "auto-archived", "Bitcoin-related", "CPU/GPU") are names only in brackets or as a command option's value
    // ("(ci-deploy)", "--key-name ops-key"); abbreviations ("e.g.") never.
    const ID_TOKEN = new RegExp('^(?:[a-z]+-[0-9a-f]{8}[0-9a-f-]*|arn:\\S+|A[KS]IA[A-Z0-9]{16}|\\d{1,3}(?:\\.\\d{1,3}){3}' +
        '|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}|--[a-z][a-z-]*|[a-z]{2}(?:-gov)?-[a-z]+-\\d)$');
    const NAME_TOKEN = /^[A-Za-z][\w+=,@]*(?:[-.\/_@:#][\w+=,@]+)+$/;
    const PROSE = /^(?:[A-Z]+|[A-Za-z][a-z]*)[-\/](?:[A-Z]+|[A-Za-z][a-z]*)$/;
    const ABBREVIATION = /^(?:[A-Za-z]\.)+[A-Za-z]?$/;
    const isName = (id, word, previous) => NAME_TOKEN.test(id) && !ABBREVIATION.test(id) &&
        (!PROSE.test(id) || /^[(\[]/.test(word) || /^--[a-z]/.test(previous));
    const brokenIn = (el) => {
        const out = [];
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const whole = node.textContent.trim();
            if (/^\S+$/.test(whole)) {
                if (linesOf(node, 0, node.length) > 1) {
                    out.push(whole);
                }
                continue;
            }
            let previous = '';
            for (const word of node.textContent.matchAll(/\S+/g)) {
                const id = /^[(\[{"']*(.*?)[)\]}"',;:.]*$/.exec(word[0])[1];
                const start = word.index + word[0].indexOf(id);
                if ((ID_TOKEN.test(id) || isName(id, word[0], previous)) && linesOf(node, start, start + id.length) > 1) {
                    out.push(id);
                }
                previous = word[0];
            }
        }
        return out;
    };
    // What of a panel the analyst cannot see: rows or text scrolled below the table's (or markdown's) box, and
    // cells whose text is cut (an ellipsis, or clipped by the cell). A wide table scrolls sideways, as in Splunk.
    const CLIP_TOLERANCE_PX = 5;
    const clipping = (el) => {
        const out = [];
        const scrollers = [el, ...el.querySelectorAll('*')].filter((e) => {
            const style = getComputedStyle(e);
            return ['auto', 'scroll', 'hidden'].includes(style.overflowY) && e.clientHeight > 0;
        });
        scrollers.forEach((e) => {
            const hiddenBelow = e.scrollHeight - e.clientHeight;
            // more than a last row's bottom padding (the framework sizes the scroll box a few px short of
            // a grown panel); a line of text is 20 px
            if (hiddenBelow > CLIP_TOLERANCE_PX && e.querySelector('tbody [data-test=row], [data-test=markdown]')) {
                out.push(`${hiddenBelow}px of ${e.dataset.test || e.tagName.toLowerCase()} below its ${e.clientHeight}px box`);
            }
        });
        el.querySelectorAll('tbody [data-test=row] td, thead [data-test=head-cell] button span').forEach((cell) => {
            const inner = [cell, ...cell.querySelectorAll('*')].find((e) => e.scrollWidth > e.clientWidth + 1 &&
                getComputedStyle(e).overflowX !== 'visible');
            if (inner) {
                out.push(`cell text cut: ${cell.textContent.trim().slice(0, 60)}`);
            }
        });
        return out;
    };
    const truncated = (el) => !!el && el.scrollWidth > el.clientWidth + 1;
    // A row taller than every cell the analyst sees in it: a cell scrolled out of the table's box (a wide table)
    // wraps into many lines and stretches the row; a colour column paints that height too. Per row: px of row
    // below the tallest visible cell's content and bottom padding.
    const ROW_SLACK_TOLERANCE_PX = 12;
    const rowSlack = (el) => {
        const box = el.querySelector('[data-test=scroll-container]') || el;
        const { left, right } = box.getBoundingClientRect();
        const out = [];
        el.querySelectorAll('tbody [data-test=row]').forEach((row, index) => {
            const rowRect = row.getBoundingClientRect();
            let tallest = 0;
            row.querySelectorAll('td').forEach((td) => {
                const r = td.getBoundingClientRect();
                if (Math.min(r.right, right) - Math.max(r.left, left) < 20) {
                    return; // out of view
                }
                const pad = parseFloat(getComputedStyle(td).paddingBottom) || 0;
                const bottoms = [...td.querySelectorAll('*')].map((e) => e.getBoundingClientRect())
                    .filter((b) => b.height > 0).map((b) => b.bottom);
                tallest = Math.max(tallest, (bottoms.length ? Math.max(...bottoms) : r.top) + pad - rowRect.top);
            });
            const slack = Math.round(rowRect.height - tallest);
            if (slack > ROW_SLACK_TOLERANCE_PX) {
                out.push(`row ${index + 1}: ${slack}px below its visible cells`);
            }
        });
        return out;
    };
    // px of a table beyond its panel's box on the right (scrolled sideways to be read); null without a table.
    const wider = (el) => {
        const table = el.querySelector('table');
        const box = el.querySelector('[data-test=scroll-container]') || el;
        return table ? Math.round(table.getBoundingClientRect().right - box.getBoundingClientRect().right) : null;
    };
    // Blank px below a table's last row: to its pagination (drawn at the panel's bottom), else to the panel's bottom.
    const blankBelow = (el) => {
        const rows = [...el.querySelectorAll('tbody [data-test=row]')];
        if (!rows.length) {
            return null;
        }
        const pages = el.querySelector('[data-test=table-pagination]');
        const end = pages ? pages.getBoundingClientRect().top : el.getBoundingClientRect().bottom;
        return Math.round(end - rows[rows.length - 1].getBoundingClientRect().bottom);
    };
    // Chart text shortened by the chart library (legend entries, axis titles end in an ellipsis).
    const chartTextCut = (el) => [...el.querySelectorAll('.highcharts-legend-item text, .highcharts-axis-title')]
        .map((t) => t.textContent).filter((t) => /\.\.\.|\u2026/.test(t));
    const panels = {};
    document.querySelectorAll('[data-test=viz-item]').forEach((el) => {
        const q = (s) => el.querySelector(s);
        const title = q('[data-test=viz-title]');
        const heads = [...el.querySelectorAll('thead [data-test=head-cell]')];
        const bodyRows = [...el.querySelectorAll('tbody [data-test=row]')];
        const rect = el.getBoundingClientRect();
        panels[el.dataset.id] = {
            type: el.dataset.vizType,
            title: text(title),
            titleTruncated: truncated(title),
            description: text(q('[data-test=viz-description]')),
            descriptionTruncated: truncated(q('[data-test=viz-description]')),
            chartTextCut: chartTextCut(el),
            rowSlack: rowSlack(el),
            wider: wider(el),
            blankBelow: blankBelow(el),
            // text of a single value cut by its box
            valueCut: [...el.querySelectorAll('[data-test=SingleValueWrapper] *')].filter((e) => e.children.length === 0 &&
                e.textContent.trim() && truncated(e)).map(text),
            box: [Math.round(rect.x), Math.round(rect.y), Math.round(rect.width), Math.round(rect.height)],
            placeholder: !!q('[data-test=icon-placeholder]'),
            error: text(q('[data-test=message][data-test-type=error]')),
            message: text(q('[data-test=viz-waiting-for-input-message]')),
            status: q('[data-test=simple-status-icon-container] svg')?.getAttribute('aria-label') || null,
            columns: heads.map((c) => text(c.querySelector('button span')) ?? text(c)),
            columnsTruncated: heads.filter((c) => truncated(c.querySelector('button span'))).map(text),
            rows: bodyRows.length,
            // What a table's panel gives its rows (px): the box under the title (viz-size-wrapper), the table's scroll
            // box (null: no table drawn) with its header, and whether the pagination is drawn under it.
            fit: el.dataset.vizType === 'splunk.table' ? {
                wrapper: Math.round(q('[data-test=viz-size-wrapper]')?.getBoundingClientRect().height ?? 0),
                scroll: q('[data-test=scroll-container]')?.clientHeight ?? null,
                head: Math.round(q('thead')?.getBoundingClientRect().height ?? 0),
                paginated: !!q('[data-test=table-pagination]'),
            } : null,
            // px height of each row of the table's page
            rowHeights: bodyRows.map((row) => Math.round(row.getBoundingClientRect().height)),
            firstRow: bodyRows.length ? [...bodyRows[0].querySelectorAll('td')].map(text) : [],
            // How the first row's cells look: background and text colour, and the lines their text takes.
            firstRowLook: bodyRows.length ? [...bodyRows[0].querySelectorAll('td')].map(cellLook) : [],
            // Ids, ARNs and error codes broken over lines in the page's rows ('<column>: <word>', brokenIn).
            brokenWords: bodyRows.flatMap((row) => [...row.querySelectorAll('td')].map((td, i) => [td, i]))
                .flatMap(([td, i]) => brokenIn(td).map((t) => `${text(heads[i]?.querySelector('button span')) ?? i}: ${t}`)),
            points: el.querySelectorAll('.highcharts-point').length,
            markers: el.querySelectorAll('[data-test=map-marker]').length,
            // maplibre fired 'load' on the panel's map (harness.jsx marks it; the markers are drawn after it)
            mapLoaded: !!q('[data-test=puremap-container][data-harness-loaded]'),
            value: text(q('[data-test=majorValue]')),
            markdown: text(q('[data-test=markdown]')),
            canvas: el.querySelectorAll('canvas').length,
            clipped: clipping(el),
        };
    });
    // What each visualization was given: the framework's data source bindings (<name>_bound_to_<viz>-primary).
    const api = h.api;
    const bindings = {};
    if (api) {
        Object.values(api.getSearches() || {}).forEach((search) => {
            const match = /_bound_to_(.+)-(primary|[a-z]+)$/.exec(search?.name || '');
            if (!match || match[2] !== 'primary') {
                return;
            }
            const meta = search.state?.meta || search.options?.meta || {};
            const data = search.options?.data || { fields: [], columns: [] };
            bindings[match[1]] = {
                status: meta.status || null,
                message: meta.statusMessage || null,
                fields: (data.fields || []).map((f) => f.name),
                rows: data.columns && data.columns.length ? data.columns[0].length : 0,
                total: meta.totalCount ?? null,
            };
        });
    }
    return {
        url: window.location.pathname + window.location.search,
        dashboard: h.dashboard,
        tokens: h.tokenBinding || null,
        validation: h.validation || [],
        coreErrors: h.coreErrors || [],
        fatal: h.fatal || null,
        running: api ? api.hasRunningSearches() : true,
        bindings,
        panels,
        height: document.documentElement.scrollHeight,
        // the page scrolls sideways (wider than the window)
        overflowX: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    };
}

// A cheap fingerprint of the page for the settle loop (the full snapshot is taken once, when it settled): the
// searches' states and row counts, and per panel what it draws.
function probe() {
    const h = window.__harness || {};
    const api = h.api;
    const parts = [];
    let finished = true;
    let dispatched = false;
    Object.values((api && api.getSearches()) || {}).forEach((search) => {
        const status = (search?.state?.meta || search?.options?.meta || {}).status || null;
        parts.push(search?.name, status, search?.options?.data?.columns?.[0]?.length || 0);
        if (/_bound_to_.+-primary$/.test(search?.name || '') && !['done', 'failed', 'error'].includes(status)) {
            finished = false;
            // dispatched (queued, running, ...) and not finished: it will change; only a search never dispatched
            // (no status: a chain whose base does not exist) may be stuck for good
            dispatched = dispatched || status !== null;
        }
    });
    document.querySelectorAll('[data-test=viz-item]').forEach((el) => {
        const q = (sel) => el.querySelector(sel)?.textContent || '';
        parts.push(el.dataset.id, el.querySelectorAll('[data-test=icon-placeholder]').length,
            el.querySelectorAll('tbody [data-test=row], .highcharts-point, [data-test=map-marker]').length,
            q('[data-test=message]'), q('[data-test=viz-waiting-for-input-message]'), q('[data-test=majorValue]'));
    });
    parts.push(document.documentElement.scrollHeight);
    // a map not yet loaded (harness.jsx marks its container on maplibre's 'load'; its markers come after; React
    // rewrites the container's class on a re-render, maplibre's 'maplibregl-map' included, so the test id is used)
    const mapsLoading = document.querySelectorAll('[data-test=puremap-container]:not([data-harness-loaded])').length;
    return { signature: parts.join('|'), running: api ? api.hasRunningSearches() : true, finished, dispatched,
        mapsLoading, fatal: !!h.fatal };
}

// `inflight`: the page's own requests to the test splunkd that have no answer yet.
async function settle(page, inflight) {
    const deadline = Date.now() + PAGE_TIMEOUT_MS;
    await page.waitForFunction(() => window.__harness && (window.__harness.api || window.__harness.fatal), null,
        { timeout: PAGE_TIMEOUT_MS });
    let last = null;
    let stable = 0;
    while (Date.now() < deadline) {
        const seen = await page.evaluate(probe);
        // Unchanged polls count only while the page waits for no answer: a slow search (the engine is busy with
        // another page's) is not a broken one.
        // A map still loading is waited for up to the page's timeout, however long it takes.
        stable = !seen.running && !seen.mapsLoading && seen.signature === last && inflight.size === 0 ? stable + 1 : 0;
        last = seen.signature;
        // Settled: every bound search finished (done or failed) and the page unchanged; a panel whose search
        // never finishes because it was never dispatched (a broken chain) is waited for SETTLE_BROKEN_POLLS unchanged
        // polls; a dispatched one (queued or running on a busy machine) up to the page's timeout.
        if ((stable >= SETTLE_STABLE_POLLS && seen.finished) || (stable >= SETTLE_BROKEN_POLLS && !seen.dispatched) ||
            seen.fatal) {
            return { ...(await page.evaluate(snapshot)), settled: true };
        }
        await page.waitForTimeout(SETTLE_POLL_MS);
    }
    return { ...(await page.evaluate(snapshot)), settled: false };
}

async function openDropdown(page, inputId) {
    await page.click(`[data-input-id="${inputId}"] [data-test=select], [data-input-id="${inputId}"] button`);
}

async function chooseOption(page, label) {
    await page.locator('[role=option], [data-test=option]').filter({ hasText: label }).first().click();
}

// A click target per visualization type: a table's first body cell, a column's first bar, a map marker, a
// single value's number.
const CLICK_TARGET = {
    'splunk.table': 'tbody [data-test=row] td',
    'splunk.column': '.highcharts-point',
    'splunk.line': '.highcharts-point',
    'splunk.map': '[data-test=map-marker] svg',
    'splunk.singlevalue': '[data-test=majorValue]',
};

// One browser page on the harness: collects its errors and blocked external requests; a navigation to another
// dashboard is held (recorded, not loaded) so the page stays and the target can be opened on its own page.
class HarnessPage {
    constructor(context, width) {
        this.context = context;
        this.width = width;
        this.errors = [];
        this.external = [];
        this.held = [];
        this.inflight = new Set();
    }

    async open(url) {
        const page = await this.context.newPage();
        this.page = page;
        await page.setViewportSize({ width: this.width, height: 1000 });
        page.on('pageerror', (e) => this.errors.push({ kind: 'pageerror', text: String(e.stack || e) }));
        page.on('console', (m) => {
            if (m.type() === 'error' && !this.holding(m.text())) {
                this.errors.push({ kind: 'console', text: m.text() });
            }
        });
        page.on('request', (r) => {
            // a job's control calls (touch, cancel) carry no data, and some never report an end
            if (r.url().startsWith(plan.base) && !r.url().endsWith('/control')) {
                this.inflight.add(r);
            }
        });
        page.on('requestfinished', (r) => this.inflight.delete(r));
        page.on('requestfailed', (r) => this.inflight.delete(r));
        page.on('response', (r) => {
            if (r.status() >= 400) {
                this.errors.push({ kind: 'http', text: `${r.status()} ${r.url()}` });
            }
        });
        await page.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => {
            this.external.push(route.request().url());
            return route.abort('blockedbyclient');
        });
        await page.goto(url, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
        await page.route((u) => /\/app\/[^/]+\/[^/]+$/.test(u.pathname), (route) => {
            const request = route.request();
            if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
                this.held.push(request.url());
                return route.abort('aborted');
            }
            return route.continue();
        });
    }

    holding(text) {
        return this.held.length > 0 && text.includes('net::ERR_ABORTED');
    }

    // Waits until no search runs and the panels stop changing. The framework draws every panel, in view or not,
    // and the measures are layout boxes: the viewport stays one screen tall (a viewport as tall as the dashboard
    // made Chromium paint all of it on every change, most of the run's CPU); a PNG is taken of the full page.
    async snapshot(label, extra = {}) {
        const started = Date.now();
        const snap = await settle(this.page, this.inflight);
        const taken = { label, width: this.width, ...extra, ...snap,
            errors: this.errors.splice(0), external: this.external.splice(0) };
        if (process.env.HARNESS_VERBOSE) {
            console.error(`${new Date().toISOString().slice(11, 19)} ${this.page.url().split("/").pop().slice(0, 60)} ${label}: settled ${snap.settled} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        }
        return taken;
    }

    async resize(width) {
        this.width = width;
        await this.page.setViewportSize({ width, height: 1000 });
    }

    // Clicks the panel's first item; returns the URL it opened and whether in a new tab.
    async click(vizId, row = 0) {
        const viz = this.page.locator(`[data-test=viz-item][data-id="${vizId}"]`);
        const type = await viz.getAttribute('data-viz-type');
        const heldBefore = this.held.length;
        const tabsBefore = await this.page.evaluate(() => window.__newTabs.length);
        const targets = viz.locator(type === 'splunk.table'
            ? `tbody [data-test=row]:nth-child(${row + 1}) td` : (CLICK_TARGET[type] || '*'));
        if (await targets.count() === 0) {
            return { opened: null, newTab: false, nothingToClick: true };
        }
        // A table cell is clicked near its top-left corner: a cell taller than its panel (wrapped text) has its
        // centre under the next panel.
        const position = type === 'splunk.table' ? { x: 6, y: 6 } : undefined;
        // One forced click: a retried click after a slow actionability check under load could open a second tab.
        await targets.first().click({ position, force: true, timeout: CLICK_TIMEOUT_MS });
        const deadline = Date.now() + CLICK_TIMEOUT_MS;
        let tabs = [];
        while (Date.now() < deadline && this.held.length === heldBefore) {
            tabs = await this.page.evaluate(() => window.__newTabs);
            if (tabs.length > tabsBefore) {
                return { opened: new URL(tabs[tabs.length - 1], this.page.url()).href, newTab: true };
            }
            await this.page.waitForTimeout(50);
        }
        return { opened: this.held.length > heldBefore ? this.held[this.held.length - 1] : null, newTab: false };
    }

    async close() {
        await this.page.close();
    }
}

// A smaller copy of a PNG (for the README), scaled by the browser's canvas.
async function thumbnail(context, png, out, width) {
    const page = await context.newPage();
    try {
        const data = await page.evaluate(async ({ source, width: w }) => {
            const img = new Image();
            img.src = `data:image/png;base64,${source}`;
            await img.decode();
            const canvas = document.createElement('canvas');
            canvas.width = w;
            canvas.height = Math.round((img.height * w) / img.width);
            const ctx = canvas.getContext('2d');
            ctx.imageSmoothingQuality = 'high';
            ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
            return canvas.toDataURL('image/png').split(',')[1];
        }, { source: png.toString('base64'), width });
        fs.writeFileSync(out, Buffer.from(data, 'base64'));
    } finally {
        await page.close();
    }
}

async function capture(page, step) {
    if (step.png) {
        const png = await page.screenshot({ path: step.png, fullPage: true });
        if (step.thumb) {
            await thumbnail(page.context(), png, step.thumb, step.thumbWidth || 800);
        }
    }
    if (step.pdf) {
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        await page.pdf({ path: step.pdf, width: `${page.viewportSize().width}px`, height: `${height + 16}px`,
            printBackground: true });
    }
}

async function runJob(context, job) {
    const snapshots = [];
    const targets = [];
    const main = new HarnessPage(context, job.width || 1440);
    try {
        await main.open(plan.base + job.path);
        snapshots.push(await main.snapshot('load'));
        for (const step of job.steps || []) {
            if (step.select) {
                await openDropdown(main.page, step.select);
                await chooseOption(main.page, step.option);
                snapshots.push(await main.snapshot(`select ${step.select}=${step.option}`));
            } else if (step.timerange) {
                await main.page.click('[data-test=time-range-dropdown]');
                await main.page.locator('[role=menuitem], [role=option], button, a')
                    .filter({ hasText: step.timerange }).first().click();
                snapshots.push(await main.snapshot(`timerange ${step.timerange}`));
            } else if (step.resize) {
                await main.resize(step.resize);
                snapshots.push(await main.snapshot(`width ${step.resize}`));
            } else if (step.png || step.pdf) {
                await capture(main.page, step);
            } else if (step.click) {
                const result = await main.click(step.click, step.row || 0);
                if (step.follow && result.opened) {
                    // The target loads on its own page while this one goes on; its snapshot keeps its place. It
                    // opens at the width the click was made at (the pool may start it after this page resized).
                    const at = snapshots.push(null) - 1;
                    const width = main.width;
                    targets.push(pages.run(async () => {
                        const target = new HarnessPage(context, width);
                        try {
                            await target.open(result.opened);
                            snapshots[at] = await target.snapshot(`click ${step.click}`, result);
                        } catch (error) {
                            snapshots[at] = { label: 'failure', failure: `click ${step.click}: ${error.stack || error}` };
                        } finally {
                            await target.close();
                        }
                    }));
                } else {
                    snapshots.push({ label: `click ${step.click}`, ...result });
                }
            }
        }
    } catch (error) {
        snapshots.push({ label: 'failure', failure: String(error.stack || error), errors: main.errors.splice(0) });
    } finally {
        await main.close();
    }
    return { id: job.id, snapshots, targets };
}

// At most `limit` tasks at once: pages load in parallel (their searches, rendering and settle waits overlap)
// without starving the machine.
class Pool {
    constructor(limit) {
        this.limit = limit;
        this.active = 0;
        this.waiting = [];
    }

    async run(task) {
        if (this.active >= this.limit) {
            await new Promise((resolve) => this.waiting.push(resolve));
        }
        this.active += 1;
        try {
            return await task();
        } finally {
            this.active -= 1;
            this.waiting.shift()?.();
        }
    }
}
const pages = new Pool(Number(process.env.HARNESS_PAGES || 3));

const browser = await chromium.launch({
    executablePath: plan.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-renderer-backgrounding',
        '--disable-background-timer-throttling', '--disable-backgrounding-occluded-windows'],
});
const report = { jobs: [] };
try {
    // reducedMotion: the user setting that maplibre's camera moves honour (a jump instead of a flight drawn frame by
    // frame in software WebGL), as react-ui's transitions do.
    const context = await browser.newContext({ deviceScaleFactor: 1, reducedMotion: 'reduce' });
    // Splunk Web opens a linkToSearch in a new tab (dashboard-utils navigateToNewTab: window.open(url, '_blank')):
    // the URL is recorded instead of loading a tab that nothing reads.
    await context.addInitScript(() => {
        window.__newTabs = [];
        window.open = (url, target) => {
            if (target === '_blank') {
                window.__newTabs.push(String(url));
            }
            return null;
        };
    });
    // Every job and drilldown target through one pool of pages; a job gives its slot back when its own page is
    // done, then waits for its targets (queued in the same pool).
    report.jobs = await Promise.all(plan.jobs.map(async (job) => {
        const { targets, ...done } = await pages.run(() => runJob(context, job));
        await Promise.all(targets);
        return done;
    }));
} finally {
    await browser.close();
}
fs.writeFileSync(reportPath, JSON.stringify(report, null, 1));
