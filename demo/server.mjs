// The demo's server (`npm start`): serves demo/ with the dev server, and mints Link tokens the
// way an integrator's backend would. With SMILE_API_KEY and SMILE_API_SECRET set, it calls
// POST /users on Smile's sandbox API and the page runs the real SDK; without them, it mints
// simulator tokens and the page runs the offline simulator. The secret never leaves this process.
import { startDevServer } from '@web/dev-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fileURLToPath } from 'node:url';
import { createSimulatorToken } from '../dist/simulator/token.js';

export const SANDBOX_API_HOST = 'https://sandbox.smileapi.io/v1';
const SIMULATOR_TOKEN_LIFETIME_MS = 30 * 60 * 1000;

const root = fileURLToPath(new URL('../', import.meta.url));

/** Finds the first `{ accessToken: string, … }` object in an API response, wherever it is nested. */
function findToken(value) {
  if (typeof value !== 'object' || value === null) return undefined;
  if (typeof value.accessToken === 'string') return value;
  for (const item of Object.values(value)) {
    const found = findToken(item);
    if (found) return found;
  }
  return undefined;
}

/** Mints a sandbox Link token with POST /users, authenticated with the API key and secret. */
export async function mintSmileToken({ apiHost, apiKey, apiSecret, fetchImpl = fetch }) {
  const response = await fetchImpl(`${apiHost.replace(/\/$/, '')}/users`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: JSON.stringify({ externalMetadata: { source: 'wink-widget-demo' } }),
  });
  const body = await response.json().catch(() => undefined);
  const token = findToken(body?.data ?? body);
  if (!response.ok || !token) {
    throw new Error(`POST /users answered ${response.status}${body?.message ? `: ${body.message}` : ''}`);
  }
  return { accessToken: token.accessToken, expiresAt: token.expiresAt, mode: token.mode ?? 'SANDBOX' };
}

/** Reads the demo's settings from the environment. */
export function demoSettings(env = process.env) {
  const apiKey = env.SMILE_API_KEY;
  const apiSecret = env.SMILE_API_SECRET;
  return {
    smile: apiKey && apiSecret ? { apiHost: env.SMILE_API_HOST || SANDBOX_API_HOST, apiKey, apiSecret } : undefined,
    port: env.PORT ? Number(env.PORT) : undefined,
  };
}

/** Koa middleware for the demo's API: its mode, and a Link token for each launch. */
export function demoApi(settings) {
  return async (context, next) => {
    if (context.path === '/demo/api/config' && context.method === 'GET') {
      context.body = { sdk: settings.smile ? 'smile' : 'simulator' };
      return;
    }
    if (context.path === '/demo/api/link-token' && context.method === 'POST') {
      try {
        context.body = settings.smile
          ? await mintSmileToken(settings.smile)
          : {
              accessToken: createSimulatorToken({
                userId: 'usr_demo',
                expiresAt: new Date(Date.now() + SIMULATOR_TOKEN_LIFETIME_MS).toISOString(),
              }),
              expiresAt: new Date(Date.now() + SIMULATOR_TOKEN_LIFETIME_MS).toISOString(),
              mode: 'SANDBOX',
            };
      } catch (error) {
        context.status = 502;
        context.body = { message: error.message };
      }
      return;
    }
    return next();
  };
}

/** Starts the demo server; resolves with its URL and a stop function. */
export async function startDemoServer({ env = process.env, logStartMessage = false } = {}) {
  const settings = demoSettings(env);
  const server = await startDevServer({
    config: {
      rootDir: root,
      port: settings.port,
      nodeResolve: true,
      middleware: [(context, next) => (context.path === '/' ? context.redirect('/demo/') : next()), demoApi(settings)],
      plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) })],
    },
    readCliArgs: false,
    readFileConfig: false,
    logStartMessage,
    autoExitProcess: false,
  });
  return {
    url: `http://localhost:${server.config.port}/demo/`,
    sdk: settings.smile ? 'smile' : 'simulator',
    stop: () => server.stop(),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url, sdk } = await startDemoServer();
  console.log(`\n  wink-widget demo: ${url}`);
  console.log(
    sdk === 'smile'
      ? '  Link tokens: minted on Smile’s sandbox with SMILE_API_KEY / SMILE_API_SECRET; the real SDK runs.\n'
      : '  Running on the offline simulator. Set SMILE_API_KEY and SMILE_API_SECRET to mint real sandbox tokens.\n',
  );
}
