import { useEffect, useState } from 'preact/hooks';
import type { ErrorView } from '../api-types.js';

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'ok'; data: T }
  | { state: 'failed'; error: ErrorView; status: number };

/** GETs one API path (below /api) and re-fetches when it changes. */
export function useApi<T>(path: string): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    setLoaded({ state: 'loading' });
    fetch(`/api${path}`, { headers: { Accept: 'application/json' } })
      .then(async (res) => {
        const body = (await res.json()) as T | { error: ErrorView };
        if (!live) return;
        if (res.ok) setLoaded({ state: 'ok', data: body as T });
        else setLoaded({ state: 'failed', error: (body as { error: ErrorView }).error, status: res.status });
      })
      .catch((error: unknown) => {
        if (live)
          setLoaded({
            state: 'failed',
            status: 0,
            error: {
              code: 'UNAVAILABLE',
              message: `the statekeep ui server did not answer (${String(error)})`,
              hint: 'is statekeep ui still running?',
            },
          });
      });
    return () => {
      live = false;
    };
  }, [path]);
  return loaded;
}

/** One path segment, encoded. */
export const seg = (text: string | number): string => encodeURIComponent(String(text));

export const routes = {
  projects: () => '#/',
  project: (p: string) => `#/projects/${seg(p)}`,
  release: (p: string, v: string) => `#/projects/${seg(p)}/releases/${seg(v)}`,
  generation: (p: string, v: string, n: number) => `#/projects/${seg(p)}/releases/${seg(v)}/generations/${n}`,
  diff: (p: string, v: string, n: number, against?: { release: string; generation: number }) =>
    `#/projects/${seg(p)}/releases/${seg(v)}/generations/${n}/diff${against ? `/${seg(against.release)}/${against.generation}` : ''}`,
  lineage: (p: string) => `#/projects/${seg(p)}/lineage`,
  alias: (p: string, a: string) => `#/projects/${seg(p)}/aliases/${seg(a)}`,
};
