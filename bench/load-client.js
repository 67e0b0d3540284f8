// A bounded HTTP load on loopback: `clients` concurrent keep-alive clients, each sending
// `requests` POSTs of one body in turn. Every request is recorded (start and end in ms since the
// epoch, status, the generation that answered, or the failure), so callers judge the outcome.
// Each client may pause between its requests, to bound the rate rather than saturate the server.
// As a script (tests run it in a second process): node bench/load-client.js URL CLIENTS REQUESTS BODY [PAUSE_MS]
// prints the records as one JSON list on stdout.
import { Agent, request } from 'node:http';
import { pathToFileURL } from 'node:url';

export async function load(url, { clients, requests, body, contentType = 'application/json', pauseMs = 0 }) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const records = [];
  const one = () =>
    new Promise((resolve) => {
      const start = performance.timeOrigin + performance.now();
      const done = (record) => {
        records.push({ start, end: performance.timeOrigin + performance.now(), ...record });
        resolve();
      };
      const req = request(
        url,
        { method: 'POST', agent, headers: { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) } },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            try {
              const answer = JSON.parse(Buffer.concat(chunks).toString('utf8'));
              done({ status: res.statusCode, generation: answer.generation, release: answer.release });
            } catch (error) {
              done({ status: res.statusCode, failure: String(error) });
            }
          });
          res.on('error', (error) => done({ status: 0, failure: String(error) }));
        },
      );
      req.on('error', (error) => done({ status: 0, failure: String(error) }));
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < requests; i++) {
        await one();
        if (pauseMs > 0) await new Promise((done) => setTimeout(done, pauseMs));
      }
    }),
  );
  agent.destroy();
  return records;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [url, clients, requests, body, pauseMs = '0'] = process.argv.slice(2);
  const records = await load(url, {
    clients: Number(clients),
    requests: Number(requests),
    body,
    pauseMs: Number(pauseMs),
  });
  process.stdout.write(JSON.stringify(records));
}
