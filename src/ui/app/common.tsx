import type { ComponentChildren } from 'preact';
import type { ErrorView, ParentView, ReadStatus } from '../api-types.js';
import { routes, type Loaded } from './api.js';

/** A damaged or pruned thing, with its error code: never its data. */
export function StatusBadge({ status, error }: { status: ReadStatus; error?: ErrorView | undefined }) {
  if (status === 'ok') return <span class="badge ok">verified</span>;
  return (
    <span
      class={`badge ${status}`}
      data-status={status}
      data-code={error?.code}
      title={error ? `${error.message}\n${error.hint}` : ''}
    >
      {status}
      {error ? ` · ${error.code}` : ''}
    </span>
  );
}

export function ErrorBox({ error, title }: { error: ErrorView; title?: string }) {
  return (
    <div class="error-box" role="alert" data-code={error.code}>
      <strong>{title ?? 'Cannot show this'}</strong> <code>{error.code}</code>
      <p>{error.message}</p>
      {error.hint ? <p class="hint">hint: {error.hint}</p> : null}
    </div>
  );
}

/** Renders a page once its API answer is in. */
export function Page<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (loaded.state === 'loading') return <p class="loading">Reading the registry…</p>;
  if (loaded.state === 'failed') return <ErrorBox error={loaded.error} />;
  return <>{children(loaded.data)}</>;
}

export function Crumbs({ items }: { items: [string, string | null][] }) {
  return (
    <nav class="crumbs" aria-label="breadcrumbs">
      {items.map(([label, href], i) => (
        <span key={label}>
          {i > 0 ? <span class="sep"> / </span> : null}
          {href === null ? <span>{label}</span> : <a href={href}>{label}</a>}
        </span>
      ))}
    </nav>
  );
}

export function ModeTag({ mode }: { mode: string | null }) {
  return mode === null ? <span>—</span> : <span class={`mode mode-${mode}`}>{mode}</span>;
}

/** A link to a parent generation: `#3` in the same release, `1.0.0/#3` when it is in another. */
export function ParentLink({ project, release, parent }: { project: string; release: string; parent: ParentView }) {
  const label = parent.release === release ? `#${parent.generation}` : `${parent.release}/#${parent.generation}`;
  return <a href={routes.generation(project, parent.release, parent.generation)}>{label}</a>;
}
