import type { DiffView, GenerationView } from '../api-types.js';
import { routes, seg, useApi } from './api.js';
import { Crumbs, ErrorBox, ModeTag, Page, ParentLink, StatusBadge } from './common.js';
import { bytes, digest, metric, signed, time } from './format.js';

export function GenerationPage({
  project,
  release,
  generation,
}: {
  project: string;
  release: string;
  generation: number;
}) {
  const loaded = useApi<GenerationView>(`/projects/${seg(project)}/releases/${seg(release)}/generations/${generation}`);
  return (
    <Page loaded={loaded}>
      {(view) => {
        const m = view.manifest as null | {
          mode: string;
          created: string;
          parent: number | { release: string; generation: number } | null;
          rollbackOf: number | null;
          metrics: Record<string, number>;
          training: { rows: number; lower: unknown; upper: unknown } | null;
          tuning: { score: number; trials: number; params: Record<string, unknown> } | null;
        };
        return (
          <section>
            <Crumbs
              items={[
                ['projects', routes.projects()],
                [project, routes.project(project)],
                [release, routes.release(project, release)],
                [`#${generation}`, null],
              ]}
            />
            <h1>
              {project} {release} #{generation} <StatusBadge status={view.status} error={view.error} />
            </h1>
            {view.error ? (
              <ErrorBox
                error={view.error}
                title={view.status === 'pruned' ? 'This generation was pruned' : 'This generation is damaged'}
              />
            ) : null}
            {m ? (
              <dl class="facts" data-testid="facts">
                <dt>mode</dt>
                <dd data-field="mode">
                  <ModeTag mode={m.mode} />
                </dd>
                <dt>created</dt>
                <dd data-field="created">{time(m.created)}</dd>
                <dt>parent</dt>
                <dd data-field="parent">
                  {m.parent === null ? (
                    '—'
                  ) : (
                    <ParentLink
                      project={project}
                      release={release}
                      parent={typeof m.parent === 'number' ? { release, generation: m.parent } : m.parent}
                    />
                  )}
                  {m.rollbackOf !== null ? ` (rollback of #${m.rollbackOf})` : ''}
                </dd>
                <dt>rows trained</dt>
                <dd data-field="rows">{m.training?.rows ?? '—'}</dd>
                {Object.entries(m.metrics).map(([k, v]) => (
                  <>
                    <dt key={`t-${k}`}>{k}</dt>
                    <dd key={`d-${k}`} data-field={`metric:${k}`} data-value={v} title={String(v)}>
                      {metric(v)}
                    </dd>
                  </>
                ))}
                {m.tuning ? (
                  <>
                    <dt>tuned</dt>
                    <dd data-field="tuning">
                      score {metric(m.tuning.score)} over {m.tuning.trials} trials:{' '}
                      <code>{JSON.stringify(m.tuning.params)}</code>
                    </dd>
                  </>
                ) : null}
              </dl>
            ) : null}
            {view.siblings.length > 0 ? (
              <p class="links">
                compare with:{' '}
                {view.siblings.map((n) => (
                  <a
                    key={n}
                    class="diff-link"
                    href={routes.diff(project, release, generation, { release, generation: n })}
                  >
                    #{n}
                  </a>
                ))}{' '}
                ·{' '}
                <a href={routes.diff(project, release, generation)} data-testid="diff-default">
                  diff against its parent (or the one before)
                </a>
              </p>
            ) : null}
            {view.states.length > 0 ? (
              <>
                <h2>States</h2>
                <table data-testid="states">
                  <thead>
                    <tr>
                      <th>actor</th>
                      <th>digest</th>
                      <th class="num">size</th>
                      <th>codec</th>
                      <th class="num">stateVersion</th>
                      <th>header</th>
                      <th>status</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.states.map((s) => (
                      <tr key={s.actor} data-actor={s.actor} data-status={s.status} class={s.status}>
                        <td>{s.actor}</td>
                        <td data-field="digest" data-value={s.digest} title={s.digest}>
                          <code>{digest(s.digest)}</code>
                        </td>
                        <td class="num" data-field="size" data-value={s.size} title={`${s.size} bytes`}>
                          {bytes(s.size)}
                        </td>
                        <td data-field="codec">{s.codec}</td>
                        <td class="num" data-field="stateVersion">
                          {s.header?.stateVersion ?? '—'}
                        </td>
                        <td data-field="header">
                          {s.header
                            ? `format ${s.header.format} · ${s.header.encoding} · ${s.header.compression} · body ${bytes(s.header.size)} · by statekeep ${s.header.statekeep}`
                            : (s.headerError?.message ?? '—')}
                        </td>
                        <td>
                          <StatusBadge status={s.status} error={s.error} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            ) : null}
            {view.manifest ? (
              <>
                <h2>Manifest</h2>
                <pre class="manifest" data-testid="manifest">
                  {JSON.stringify(view.manifest, null, 2)}
                </pre>
              </>
            ) : null}
          </section>
        );
      }}
    </Page>
  );
}

export function DiffPage({
  project,
  release,
  generation,
  against,
}: {
  project: string;
  release: string;
  generation: number;
  against: { release: string; generation: number } | null;
}) {
  const query = against ? `?release=${seg(against.release)}&generation=${against.generation}` : '';
  const loaded = useApi<DiffView>(
    `/projects/${seg(project)}/releases/${seg(release)}/generations/${generation}/diff${query}`,
  );
  return (
    <Page loaded={loaded}>
      {(view) => (
        <section>
          <Crumbs
            items={[
              ['projects', routes.projects()],
              [project, routes.project(project)],
              [release, routes.release(project, release)],
              [`#${generation}`, routes.generation(project, release, generation)],
              ['diff', null],
            ]}
          />
          <h1>
            <a href={routes.generation(project, view.a.release, view.a.generation)}>
              {view.a.release} #{view.a.generation}
            </a>{' '}
            →{' '}
            <a href={routes.generation(project, view.b.release, view.b.generation)}>
              {view.b.release} #{view.b.generation}
            </a>
          </h1>
          <p class="sub">
            <ModeTag mode={view.a.mode} /> {time(view.a.created)} → <ModeTag mode={view.b.mode} />{' '}
            {time(view.b.created)}
          </p>
          {view.a.error ? <ErrorBox error={view.a.error} title={`#${view.a.generation} cannot be compared`} /> : null}
          {view.b.error ? <ErrorBox error={view.b.error} title={`#${view.b.generation} cannot be compared`} /> : null}
          {view.states.length > 0 ? (
            <>
              <h2>States</h2>
              <table data-testid="state-diff">
                <thead>
                  <tr>
                    <th>actor</th>
                    <th>change</th>
                    <th>#{view.a.generation}</th>
                    <th>#{view.b.generation}</th>
                  </tr>
                </thead>
                <tbody>
                  {view.states.map((s) => (
                    <tr key={s.actor} data-actor={s.actor} data-change={s.change} class={`change-${s.change}`}>
                      <td>{s.actor}</td>
                      <td data-field="change">{s.change}</td>
                      <td title={s.a?.digest}>{s.a ? `${digest(s.a.digest)} (${bytes(s.a.size)})` : '—'}</td>
                      <td title={s.b?.digest}>{s.b ? `${digest(s.b.digest)} (${bytes(s.b.size)})` : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h2>Metrics</h2>
              <table data-testid="metric-diff">
                <thead>
                  <tr>
                    <th>metric</th>
                    <th class="num">#{view.a.generation}</th>
                    <th class="num">#{view.b.generation}</th>
                    <th class="num">change</th>
                  </tr>
                </thead>
                <tbody>
                  {view.metrics.map((d) => (
                    <tr key={d.name} data-metric={d.name}>
                      <td>{d.name}</td>
                      <td class="num" data-field="a" data-value={d.a ?? ''}>
                        {metric(d.a)}
                      </td>
                      <td class="num" data-field="b" data-value={d.b ?? ''}>
                        {metric(d.b)}
                      </td>
                      <td
                        class={`num ${d.delta === null || d.delta === 0 ? '' : d.delta > 0 ? 'up' : 'down'}`}
                        data-field="delta"
                        data-value={d.delta ?? ''}
                        title={String(d.delta ?? '')}
                      >
                        {signed(d.delta)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </section>
      )}
    </Page>
  );
}
