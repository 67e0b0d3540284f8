import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStatekeepError } from '../registry/errors/statekeep-error.js';
import { UsageError } from '../registry/errors/index.js';
import type { Registry } from '../registry/registry.js';
import { errorView } from './read-outcome.js';
import {
  aliasView,
  defaultBase,
  diffView,
  generationView,
  lineageView,
  projectsView,
  projectView,
  releaseView,
} from './views.js';

/**
 * Where `npm run build` puts the browser app (scripts/build-ui.js): dist/ui/assets of the
 * package, found the same way from src/ui/ (tests) and from dist/ui/ (the CLI).
 */
export const DEFAULT_ASSETS = fileURLToPath(new URL('../../dist/ui/assets/', import.meta.url));

/** The files of the app, by URL path: nothing else on disk is ever served. */
const ASSETS: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/assets/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/assets/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

// The app loads nothing from anywhere but this server, and nothing may frame it.
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  NOT_FOUND: 404,
  INVALID_NAME: 400,
  INVALID_VERSION: 400,
  USAGE: 400,
  UNAVAILABLE: 503,
};

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

export interface UiServerOptions {
  /** The built app's folder (index.html, app.js, app.css). Default: DEFAULT_ASSETS. */
  assets?: string;
  /**
   * Accept only requests whose Host header names this machine (localhost, 127.0.0.1, [::1]), so
   * a web page elsewhere cannot read the registry through a DNS name that resolves to loopback.
   * On for a loopback bind; off when listening on another address on purpose.
   */
  loopbackHostsOnly?: boolean;
  /** Told of failures that are the server's own (not a 4xx, not damage shown on a page). */
  onError?: (error: unknown) => void;
}

/** The app's files are missing: the package was not built. */
export function missingAssets(assets: string): string | null {
  const missing = ['index.html', 'app.js', 'app.css'].filter((f) => !existsSync(path.join(assets, f)));
  return missing.length === 0 ? null : missing.join(', ');
}

/**
 * The web view of a registry: GET /api/… answers JSON read through the Registry, GET / and
 * /assets/… the app. Read-only: any other method is 405. Every request ends in an answer.
 */
export function createUiServer(registry: Registry, options: UiServerOptions = {}): Server {
  const assets = options.assets ?? DEFAULT_ASSETS;
  const loopbackOnly = options.loopbackHostsOnly ?? true;
  const server = createServer((req, res) => {
    handle(registry, assets, loopbackOnly, req, res).catch((error: unknown) => {
      if (answerError(res, error) >= 500) options.onError?.(error);
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

async function handle(
  registry: Registry,
  assets: string,
  loopbackOnly: boolean,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  req.resume();
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    throw new HttpFailure(
      405,
      'USAGE',
      `statekeep ui is read-only: ${req.method} is not answered`,
      'change the registry with the statekeep command line',
    );
  }
  if (loopbackOnly && !isLoopbackHost(req.headers.host)) {
    throw new HttpFailure(
      421,
      'USAGE',
      `this server answers only requests to this machine, not to host ${JSON.stringify(req.headers.host ?? '')}`,
      'open the URL statekeep ui printed (127.0.0.1 or localhost)',
    );
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname.startsWith('/api/')) {
    const body = await api(registry, url);
    return send(res, 200, 'application/json; charset=utf-8', JSON.stringify(body), req.method === 'HEAD');
  }
  const asset = ASSETS[url.pathname];
  if (asset === undefined) throw new HttpFailure(404, 'NOT_FOUND', `no page ${url.pathname}`, 'open / for the app');
  const bytes = await readFile(path.join(assets, asset.file));
  return send(res, 200, asset.type, bytes, req.method === 'HEAD');
}

/** The JSON API: one route per page. Names are validated by the Registry (INVALID_NAME, 400). */
async function api(registry: Registry, url: URL): Promise<unknown> {
  const parts = url.pathname
    .slice('/api/'.length)
    .split('/')
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        throw new HttpFailure(400, 'USAGE', `a malformed URL path ${url.pathname}`, 'percent-encode names');
      }
    });
  const [root, project, what, name, sub, n, tail, ...rest] = parts;
  if (root === 'projects' && rest.length === 0) {
    if (project === undefined || project === '') return projectsView(registry);
    if (what === undefined) return projectView(registry, project);
    if (what === 'lineage' && name === undefined) return lineageView(registry, project);
    if (what === 'aliases' && name !== undefined && sub === undefined) return aliasView(registry, project, name);
    if (what === 'releases' && name !== undefined) {
      if (sub === undefined) return releaseView(registry, project, name);
      if (sub === 'generations' && n !== undefined) {
        const generation = wholeNumber(n);
        if (tail === undefined) return generationView(registry, project, name, generation);
        if (tail === 'diff') {
          const against = url.searchParams.get('generation');
          const base =
            against === null
              ? await defaultBase(registry, project, name, generation)
              : { release: url.searchParams.get('release') ?? name, generation: wholeNumber(against) };
          if (base === null)
            throw new HttpFailure(
              404,
              'NOT_FOUND',
              `generation ${generation} of ${project} ${name} has no parent or earlier generation to compare with`,
              'name one with ?release=VERSION&generation=N',
            );
          return diffView(registry, project, base, { release: name, generation });
        }
      }
    }
  }
  throw new HttpFailure(404, 'NOT_FOUND', `no API route ${url.pathname}`, API_HINT);
}

const API_HINT = 'GET /api/projects[/P[/lineage|/aliases/A|/releases/V[/generations/N[/diff?release=V&generation=M]]]]';

function wholeNumber(text: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw new UsageError(
      `generation ${JSON.stringify(text)} is not a whole number from 1`,
      'name a generation by its number',
      {
        argument: 'generation',
      },
    );
  return Number(text);
}

/** Whether a Host header (or a --host address) names this machine: localhost, 127.0.0.0/8 or ::1, any port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  // An address alone (`::1`, as --host takes it), or host[:port] as a Host header has it.
  const name =
    isIP(host) !== 0 ? host : host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d*$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  return name === '::1';
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array, head: boolean): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Content-Length': bytes.byteLength,
    'Cache-Control': 'no-store',
  });
  res.end(head ? undefined : bytes);
}

/** Answers a failed request; returns the status sent. */
function answerError(res: ServerResponse, error: unknown): number {
  if (res.headersSent) {
    res.destroy();
    return 500;
  }
  let status: number;
  let body: { code: string; message: string; hint: string };
  if (error instanceof HttpFailure) {
    status = error.status;
    body = { code: error.code, message: error.message, hint: error.hint };
  } else if (isStatekeepError(error)) {
    status = STATUS_BY_CODE[error.code] ?? 500;
    body = errorView(error);
  } else {
    status = 500;
    body = { code: 'INTERNAL', message: 'the web view failed to answer', hint: 'see the statekeep ui log' };
  }
  send(res, status, 'application/json; charset=utf-8', JSON.stringify({ error: body }), false);
  return status;
}
