import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { AliasPage } from './alias.js';
import { DiffPage, GenerationPage } from './generation.js';
import { LineagePage } from './lineage.js';
import { ProjectPage } from './project.js';
import { ProjectsPage } from './projects.js';
import { ReleasePage } from './release.js';
import './styles.css';

// Routes live in the URL's hash, so every page has an address to share that this server (any
// port) answers: #/projects/P/releases/V/generations/N, and the API has the same path below /api.
function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

function route(hash: string) {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((p) => p !== '')
    .map((p) => decodeURIComponent(p));
  const [root, p, what, v, gens, n, diff, againstRelease, againstGeneration] = parts;
  if (root === undefined) return <ProjectsPage />;
  if (root !== 'projects' || p === undefined) return <NotFound />;
  if (what === undefined) return <ProjectPage project={p} />;
  if (what === 'lineage' && v === undefined) return <LineagePage project={p} />;
  if (what === 'aliases' && v !== undefined) return <AliasPage project={p} alias={v} />;
  if (what !== 'releases' || v === undefined) return <NotFound />;
  if (gens === undefined) return <ReleasePage project={p} release={v} />;
  const g = Number(n);
  if (gens !== 'generations' || !Number.isSafeInteger(g) || g < 1) return <NotFound />;
  if (diff === undefined) return <GenerationPage key={`${v}#${g}`} project={p} release={v} generation={g} />;
  const against =
    againstRelease !== undefined && againstGeneration !== undefined
      ? { release: againstRelease, generation: Number(againstGeneration) }
      : null;
  return <DiffPage project={p} release={v} generation={g} against={against} />;
}

function NotFound() {
  return (
    <p>
      No such page. <a href="#/">Back to the projects</a>
    </p>
  );
}

function App() {
  const hash = useHash();
  useEffect(() => {
    scrollTo(0, 0);
  }, [hash]);
  return (
    <>
      <header class="top">
        <a href="#/" class="brand">
          statekeep
        </a>
        <span class="sub">read-only view · every manifest and blob shown is verified as it is read</span>
      </header>
      <main>{route(hash)}</main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
