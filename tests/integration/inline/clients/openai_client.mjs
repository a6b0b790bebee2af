// The official openai SDK, pointed at the local server: one chat completion whose parameters
// (model, messages) come from a JSON file; the SDK serialises them itself. With a split marker
// the SDK is given a fetch wrapper (its documented `fetch` option) that hands node's own fetch
// (undici) the SDK's body as a stream of two chunks, cut right after the marker and 100 ms
// apart, so the body goes out in two TLS writes. The CA comes from NODE_EXTRA_CA_CERTS.
import fs from 'node:fs';
import OpenAI from 'openai';

const [baseURL, paramsFile, splitAfter] = process.argv.slice(2);
const params = JSON.parse(fs.readFileSync(paramsFile, 'utf8'));

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
