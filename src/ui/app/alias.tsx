import type { AliasView } from '../api-types.js';
import { routes, seg, useApi } from './api.js';
import { Crumbs, ErrorBox, Page } from './common.js';
import { time } from './format.js';

export function AliasPage({ project, alias }: { project: string; alias: string }) {
  const loaded = useApi<AliasView>(`/projects/${seg(project)}/aliases/${seg(alias)}`);
  const target = (t: { release: string; generation: number } | null) =>
    t === null ? (
      <span>unset</span>
    ) : (
      <a href={routes.generation(project, t.release, t.generation)}>
        {t.release} #{t.generation}
      </a>
    );
  return (
    <Page loaded={loaded}>
      {(view) => (
        <section>
          <Crumbs
            items={[
              ['projects', routes.projects()],
              [project, routes.project(project)],
              [`@${alias}`, null],
            ]}
          />
          <h1>
            @{alias} → {target(view.current)}
          </h1>
          {view.error ? <ErrorBox error={view.error} title="An older entry of this alias cannot be read" /> : null}
          <ol class="timeline" data-testid="timeline">
            {view.entries.map((e) => (
              <li key={e.entry} data-entry={e.entry} class={`entry-${e.action}`}>
                <time>{time(e.time)}</time>
                <div>
                  <strong>{e.action === 'rm' ? 'removed' : e.from === null ? 'set' : 'moved'}</strong> {target(e.from)}{' '}
                  → {target(e.to)}
                  {e.reason ? <p class="reason">“{e.reason}”</p> : null}
                  <p class="sub">
                    entry {e.entry} · statekeep {e.statekeep}
                  </p>
                </div>
              </li>
            ))}
          </ol>
        </section>
      )}
    </Page>
  );
}
