// Every relative link and #anchor in the README, CONTRIBUTING.md and the guides in docs/ resolves:
// the file exists, and the anchor is one of its headings as GitHub slugs them.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const documents = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The text outside fenced code blocks. */
const prose = (markdown) => markdown.replace(/^```[\s\S]*?^```/gm, '');

/** A heading's anchor as GitHub makes it: lower case, punctuation but `-` and `_` dropped, spaces as `-`. */
export function githubSlug(heading) {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{Letter}\p{Mark}\p{Number}\p{Connector_Punctuation}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a Markdown file's headings, a repeated one numbered as GitHub numbers it. */
function anchorsOf(file) {
  const seen = new Map();
  const anchors = new Set();
  for (const [, heading] of prose(readFileSync(file, 'utf8')).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count ? `${slug}-${count}` : slug);
  }
  return anchors;
}

test('GitHub’s slugs, as the links here rely on them', () => {
  assert.equal(githubSlug('The page: `wink-widget/events`'), 'the-page-wink-widgetevents');
  assert.equal(githubSlug('Hosting the bridge yourself (`bridge-url`)'), 'hosting-the-bridge-yourself-bridge-url');
  assert.equal(
    githubSlug('A fetch-style handler (Deno, Bun, Cloudflare Workers, Next.js route handlers)'),
    'a-fetch-style-handler-deno-bun-cloudflare-workers-nextjs-route-handlers',
  );
  assert.equal(
    githubSlug('Preloading: the widget appears as the click lands'),
    'preloading-the-widget-appears-as-the-click-lands',
  );
});

let linksChecked = 0;
for (const document of documents) {
  test(`${document}: every relative link and anchor resolves`, () => {
    const path = join(root, document);
    const links = [...prose(readFileSync(path, 'utf8')).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(
      ([, target]) => target,
    );
    const broken = [];
    for (const target of links) {
      if (/^(https?:|mailto:)/.test(target)) continue;
      const [file, anchor] = target.split('#');
      const resolved = file ? join(dirname(path), decodeURIComponent(file)) : path;
      if (!existsSync(resolved)) {
        broken.push(`${target}: no ${relative(root, resolved)}`);
        continue;
      }
      if (anchor !== undefined && !anchorsOf(resolved).has(anchor)) {
        broken.push(`${target}: no heading #${anchor} in ${relative(root, resolved)}`);
      }
    }
    assert.deepEqual(broken, []);
    linksChecked += links.length;
  });
}

test('the links were found at all', () => {
  assert.ok(linksChecked > 60, `only ${linksChecked} links found: is the pattern still right?`);
});

test('the README is a front door: at most 300 lines, linking every guide', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  assert.ok(readme.split('\n').length <= 300, `the README has ${readme.split('\n').length} lines`);
  for (const guide of documents.filter((document) => document.startsWith('docs/'))) {
    assert.ok(readme.includes(`](${guide})`), `the README does not link ${guide}`);
  }
  assert.ok(readme.includes('](CONTRIBUTING.md)'));
});

test('every test file the security guide names exists', () => {
  const guide = readFileSync(join(root, 'docs/security.md'), 'utf8');
  const named = [...guide.matchAll(/`(test\/[^`]+?\.test\.m?[jt]s)`/g)].map(([, path]) => path);
  // Short names in a row (`parse.test.mjs`) are in the folder of the row's first path.
  assert.ok(named.length > 15, `${named.length} test files named`);
  assert.deepEqual(
    named.filter((path) => !existsSync(join(root, path))),
    [],
  );
});
