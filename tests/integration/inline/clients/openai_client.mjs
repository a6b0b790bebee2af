// The official openai SDK, pointed at the local server: one chat completion, either of one user
// message or (argument @FILE) with the parameters (model, messages) of a JSON file; the SDK
// serialises them itself. With a split marker
// the SDK is given a fetch wrapper (its documented `fetch` option) that hands node's own fetch
// (undici) the SDK's body as a stream of two chunks, cut right after the marker and 100 ms
// apart, so the body goes out in two TLS writes. The CA comes from NODE_EXTRA_CA_CERTS.
import fs from 'node:fs';
import OpenAI from 'openai';

//   node openai_client.mjs BASEURL MESSAGE|@PARAMS.json [SPLIT_AFTER]
const [baseURL, request, splitAfter] = process.argv.slice(2);
const params = request.startsWith('@')
  ? JSON.parse(fs.readFileSync(request.slice(1), 'utf8'))
  : { model: 'gpt-4o-mini', messages: [{ role: 'user', content: request }] };

async function fetchInTwoWrites(url, init) {
  const text = init.body;
  const cut = typeof text === 'string' ? text.indexOf(splitAfter) : -1;
  if (cut < 0) throw new Error(`split marker ${JSON.stringify(splitAfter)} not in the SDK's body`);
  const enc = new TextEncoder();
  const parts = [text.slice(0, cut + splitAfter.length), text.slice(cut + splitAfter.length)];
  const body = new ReadableStream({
    async start(controller) {
      controller.enqueue(enc.encode(parts[0]));
      await new Promise((r) => setTimeout(r, 100));
      controller.enqueue(enc.encode(parts[1]));
      controller.close();
    },
  });
  const headers = new Headers(init.headers);
  headers.delete('content-length');  // a stream goes chunked
  return fetch(url, { ...init, headers, body, duplex: 'half' });
}

const client = new OpenAI({
  apiKey: 'sk-test', baseURL, maxRetries: 0, timeout: 10000,
  fetch: splitAfter ? fetchInTwoWrites : undefined,
});
try {
  const r = await client.chat.completions.create(params);
  console.log(r.choices[0].message.content);
} catch (e) {
  console.error('error:', e.constructor.name, e.cause ? (e.cause.code || e.cause.message) : e.message);
  process.exit(1);
}
