// `npm run bench`: the element measured side by side with its anchors in one browser run, by a
// small puppeteer-core harness over Debian's browsers (the same engines the tests drive):
// - relay: 10,000 SDK callbacks through bridge, port, checks and typed events, against a raw
//   MessageChannel relay out of the same kind of sandboxed srcdoc frame (the floor), each timed
//   from the frame's first send to the page's last delivery;
// - launch: `open` to `widget-open` with an SDK whose open() does nothing, against Smile's
//   quickstart (a sandboxed srcdoc page that loads the SDK and opens it); and with `preload`,
//   `show()` to `widget-open` once `widget-ready` has come, against the same quickstart;
// - heap: 1,000 open/close cycles, forced GC before and after (Chromium only);
// - sizes, from `npm run size`, next to the peers' published figures;
// - webhooks, in Node: the receiver against a plain node:crypto receiver, in process and over
//   HTTP with a real Redis (scripts/bench-webhooks.mjs);
// - the event stream: p50 and p99 from a webhook's 200 to its arrival at the page, across two
//   instances on a real Redis (scripts/bench-events.mjs), against its goal of p99 ≤ 100 ms;
// - 10,000 streams on one instance against a plain node:http server holding the same streams:
//   memory a stream, fan-out p99 and the time to open them all (scripts/bench-streams.mjs).
// Trials are interleaved A/B after a warm-up; the table gives medians, spread and ratios, and
// the last line sums it up. It asserts nothing: it measures. `--engine=firefox` runs it in
// Firefox ESR (no heap row there); `--trials=N` sets the trials per measure; `--only=relay,launch`
// runs the browser's relay and launch rows alone, as when profiling them.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, chromiumPath } from '../test/support/chromium.mjs';
import { benchEventLatency } from './bench-events.mjs';
import { benchStreams } from './bench-streams.mjs';
import { benchWebhooks, benchWebhooksOverHttp } from './bench-webhooks.mjs';
import { measure } from './size.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const option = (name, fallback) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const ENGINE = option('engine', 'chromium');
const TRIALS = Number(option('trials', 9));
const ONLY = option('only', '').split(',').filter(Boolean);
const wanted = (row) => ONLY.length === 0 || ONLY.includes(row);
const RELAY_COUNT = 10_000;
const CYCLES = 1_000;

// The peers' sizes, gzipped, as published for their browser SDK (figures of the comparison this
// benchmark answers; not measured here).
const PEERS = [
  ['react-plaid-link', '3.0 KB'],
  ['@mxenabled/web-widget-sdk', '4.8 KB'],
  ['Finicity Connect', '1.8 KB'],
  ['Atomic Transact', '2.0 KB'],
];

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** Serves the package's files (dist/, bench/) on a loopback port. */
function serve() {
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path === '/' ? 'bench/index.html' : path);
    if (
      !file.startsWith(root) ||
      !(await stat(file).then(
        (info) => info.isFile(),
        () => false,
      ))
    ) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'max-age=3600',
    });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const spread = (values) => `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;

/** Runs `a` and `b` in turn, the order alternating, after one warm-up of each. */
async function interleaved(page, a, b, args = []) {
  const run = (name) => page.evaluate((fn, list) => window.winkBench[fn](...list), name, args);
  await run(a);
  await run(b);
  const times = { [a]: [], [b]: [] };
  for (let trial = 0; trial < TRIALS; trial++) {
    for (const name of trial % 2 ? [b, a] : [a, b]) times[name].push(await run(name));
  }
  return [times[a], times[b]];
}

async function main() {
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser =
    ENGINE === 'firefox'
      ? await puppeteer.launch({
          browser: 'firefox',
          executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
          headless: true,
        })
      : await puppeteer.launch({
          executablePath: chromiumPath(),
          headless: true,
          args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'],
        });
  const version = await browser.version();
  const rows = [];
  try {
    const open = async () => {
      const page = await browser.newPage();
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => customElements.get('wink-widget') && window.winkBench);
      return page;
    };

    let page;
    if (wanted('relay')) {
      page = await open();
      const [relay, relayFloor] = await interleaved(page, 'relayElement', 'relayAnchor', [RELAY_COUNT]);
      rows.push(['relay of 10,000 callbacks (ms, from the first sent to the last delivered)', relay, relayFloor, 1.2]);
      await page.close();
    }

    if (wanted('launch')) {
      page = await open();
      const [launch, quickstart] = await interleaved(page, 'launchElement', 'launchAnchor');
      rows.push(['launch: open to widget-open (ms)', launch, quickstart, 1.1]);
      await page.close();
      page = await open();
      const [preloaded, quickstartAgain] = await interleaved(page, 'launchPreloaded', 'launchAnchor');
      rows.push(['preloaded launch: show() to widget-open (ms)', preloaded, quickstartAgain, 0.3, 'preloaded launch']);
      await page.close();
    }

    let heap;
    if (ENGINE !== 'firefox' && wanted('heap')) {
      page = await open();
      const used = async () => {
        await page.evaluate(() => window.gc());
        return (await page.metrics()).JSHeapUsedSize;
      };
      await page.evaluate((n) => window.winkBench.cycles(n), 20);
      const before = await used();
      const left = await page.evaluate((n) => window.winkBench.cycles(n), CYCLES);
      heap = { growth: (await used()) - before, ...left };
      await page.close();
    }

    if (wanted('webhooks')) {
      // The server half, in this process: the receiver against a plain node:crypto receiver.
      const webhooks = await benchWebhooks(TRIALS);
      rows.push([
        `webhook receiver in process (µs a delivery, ${webhooks.deliveries.toLocaleString('en')} deliveries)`,
        webhooks.ours,
        webhooks.plain,
        1.3,
        'webhook in process',
      ]);
      const overHttp = await benchWebhooksOverHttp(TRIALS);
      const http = `${overHttp.deliveries.toLocaleString('en')} deliveries, ${overHttp.connections} connections`;
      rows.push([
        `webhook receiver over HTTP with Redis (µs of wall time a delivery, ${http})`,
        overHttp.wall.ours,
        overHttp.wall.plain,
        1.2,
        'webhook over HTTP',
      ]);
      rows.push([
        `plain receiver with the done mark over HTTP with Redis, the floor of the package's guarantee (µs of wall time a delivery, ${http})`,
        overHttp.wall.marked,
        overHttp.wall.plain,
        // A reference, with no goal: what the second command alone costs a receiver written by hand.
        undefined,
        'plain+mark over HTTP',
      ]);
      rows.push([
        `webhook receiver over HTTP with Redis (µs of CPU a delivery, its process and Redis, ${http})`,
        overHttp.cpu.ours,
        overHttp.cpu.plain,
        // What the receiver costs the machine: reported, with no goal of its own (the goal is on wall time).
        undefined,
        'webhook CPU over HTTP',
      ]);
    }

    // The event stream: a latency with a goal of its own, not a ratio.
    const stream = wanted('stream') ? await benchEventLatency() : undefined;

    if (wanted('streams')) {
      // 10,000 streams on one instance against a plain node:http server holding the same streams.
      const { count, ours, plain } = await benchStreams();
      const of = `${count.toLocaleString('en')} streams of as many users on one instance`;
      rows.push([
        `${of}: RSS a stream (KB, forced GC)`,
        [ours.rssPerStream / 1000],
        [plain.rssPerStream / 1000],
        1.25,
        'streams RSS',
      ]);
      rows.push([
        `${of}: heap a stream (KB, forced GC)`,
        [ours.heapPerStream / 1000],
        [plain.heapPerStream / 1000],
        undefined,
        'streams heap',
      ]);
      rows.push([
        `${of}: fan-out of one event to each, p99 (ms, ${ours.p99s.length} fan-outs after a warm-up)`,
        ours.p99s,
        plain.p99s,
        1.25,
        'streams fan-out p99',
      ]);
      // A rate of at least 0.8× plain's is a time to open them all of at most 1.25× plain's.
      rows.push([
        `${of}: time to open them all (ms, 200 at once)`,
        [ours.openMs],
        [plain.openMs],
        1.25,
        'streams open',
      ]);
    }

    const sizes = await measure();
    const format = (values) => `${median(values).toFixed(1)} (${spread(values)})`;
    const ratio = (a, b) => median(a) / median(b);
    console.log(
      `wink-widget bench · ${version} · ${new Date().toISOString().slice(0, 10)} · ${TRIALS} interleaved trials after a warm-up\n`,
    );
    console.log('| measure | the element, median (range) | anchor, median (range) | ratio | goal |');
    console.log('|---|---|---|---|---|');
    for (const [name, element, anchor, goal] of rows) {
      console.log(
        `| ${name} | ${format(element)} | ${format(anchor)} | ${ratio(element, anchor).toFixed(2)}× | ${goal ? `≤ ${goal}×` : '—'} |`,
      );
    }
    if (stream) {
      console.log(
        `| webhook to the page over SSE, two instances on Redis (ms from the webhook's 200 to its arrival, ${stream.events.toLocaleString('en')} events, ${stream.pages} pages; ${stream.beforeAnswer} arrived before their 200) | p50 ${stream.p50.toFixed(1)}, p99 ${stream.p99.toFixed(1)}, max ${stream.max.toFixed(1)} | — | — | p99 ≤ 100 ms |`,
      );
    }
    if (heap) {
      console.log(
        `| heap after ${CYCLES.toLocaleString('en')} open/close cycles, forced GC | ${(heap.growth / 2 ** 20).toFixed(2)} MB, ${heap.frames} frames, ${heap.listeners} listeners left | — | — | ≤ 2 MB, 0 left |`,
      );
    }
    for (const { name, gzip, budget } of sizes) {
      const peers = name.startsWith('element') ? PEERS.map(([peer, size]) => `${peer} ${size}`).join(', ') : '—';
      console.log(`| gzip size, ${name} | ${gzip} B | ${peers} | — | ≤ ${budget} B (budget) |`);
    }
    const summary = [
      ...rows.map(
        ([name, element, anchor, goal, short]) =>
          `${short ?? name.split(/[: ]/)[0]} ${ratio(element, anchor).toFixed(2)}×${goal ? ` (goal ≤ ${goal}×)` : ''}`,
      ),
      stream
        ? `stream p50 ${stream.p50.toFixed(1)} ms, p99 ${stream.p99.toFixed(1)} ms (goal p99 ≤ 100 ms)`
        : 'stream: not measured in this run',
      heap
        ? `heap +${(heap.growth / 2 ** 20).toFixed(2)} MB, ${heap.frames + heap.listeners} left (goal ≤ 2 MB, 0)`
        : 'heap: not measured in this run',
      ...sizes.map(({ name, gzip }) => `${name.split(' ')[0]} ${gzip} B`),
    ];
    console.log(`\nsummary: ${summary.join(' · ')}`);
  } finally {
    await browser.close();
    server.close();
  }
}

await main();
