import { request } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seed, statekeepInProcess, workspace } from '../cli/helpers.js';
import { startUi } from './harness.js';

// `statekeep ui` as a process: where it listens, what it prints, how it stops.

function get(url: string, host?: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: u.port, path: u.pathname, headers: host === undefined ? {} : { Host: host } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('statekeep ui', () => {
  it('binds to loopback by default, prints its URL, and stops cleanly on SIGINT', async () => {
    const ws = workspace();
    await seed(ws);
    const ui = await startUi(ws);
    expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await expect
      .poll(() => ui.stderr())
      .toContain(`a read-only view of the posix registry ${ws.registryPath} at ${ui.url}`);
    const projects = await get(`${ui.url}api/projects`);
    expect(projects.status).toBe(200);
    expect(JSON.parse(projects.body).projects.map((p: { name: string }) => p.name)).toEqual(['iris', 'wine']);
    expect(await ui.stop('SIGINT')).toEqual({ code: 0, signal: null });
  });

  it('listens on another address only when asked, and says who can read it then', async () => {
    const ws = workspace();
    await seed(ws);
    const ui = await startUi(ws, ['--host', '0.0.0.0']);
    try {
      expect(ui.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
      await expect
        .poll(() => ui.stderr())
        .toContain('listening on 0.0.0.0: anyone who can reach this machine can read the registry');
      // Reached through loopback here; a request naming this machine by another name is answered.
      expect((await get(`${ui.url}api/projects`, 'statekeep-host.example')).status).toBe(200);
    } finally {
      expect(await ui.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    }
  });

  it('--registry picks the instance it shows; --json prints the URL as JSON', async () => {
    const ws = workspace('    other: { provider: posix, path: ./other }\n');
    await seed({ registryPath: path.join(ws.cwd, 'other') });
    const ui = await startUi(ws, ['--registry', 'other', '--json']);
    try {
      expect(JSON.parse(ui.printed)).toEqual({ url: ui.url, registry: 'posix', readOnly: true });
      const view = JSON.parse((await get(`${ui.url}api/projects`)).body);
      expect(view.registry).toBe(`posix ${path.join(ws.cwd, 'other')}`);
    } finally {
      await ui.stop();
    }
  });

  it('a bad or taken --port is a usage error, exit 2, naming the flag', async () => {
    const ws = workspace();
    await seed(ws);
    const bad = await statekeepInProcess(['--json', 'ui', '--port', 'eighty'], ws);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stderr).error).toMatchObject({ code: 'USAGE', data: { argument: '--port' } });
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      const busy = await statekeepInProcess(['--json', 'ui', '--port', String(port)], ws);
      expect(busy.code).toBe(2);
      expect(JSON.parse(busy.stderr).error).toMatchObject({ code: 'USAGE', data: { argument: '--port' } });
    } finally {
      taken.close();
    }
  });
});
