// A loopback HTTP proxy in front of another server (Prism, in the tests of the command line and the
// token endpoint) that records each request and its answer, so that a test run through a child
// process or a server can say what reached the API. `prefer` adds Prism's Prefer header to each;
// `rewrite(call)`, when it returns a value, answers that instead of what the target said.
import { once } from 'node:events';
import { createServer } from 'node:http';

export async function startRecordingProxy(target, { prefer, rewrite } = {}) {
  const calls = [];
  const server = createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(request.url, target);
    const headers = { ...request.headers };
    delete headers.host;
    delete headers['content-length'];
    if (prefer) headers.prefer = prefer;
    const call = {
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: request.headers.authorization,
      body: body ? JSON.parse(body) : undefined,
    };
    calls.push(call);
    try {
      const answer = await fetch(url, { method: request.method, headers, body: body || undefined });
      let text = await answer.text();
      call.status = answer.status;
      call.answer = text ? JSON.parse(text) : undefined;
      const rewritten = rewrite?.(call);
      if (rewritten !== undefined) text = JSON.stringify((call.answer = rewritten));
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      response.end(text);
    } catch (error) {
      call.status = 502;
      response.writeHead(502).end(String(error));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    calls,
    stop: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))),
  };
}
