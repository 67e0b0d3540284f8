import type { ProjectView } from '../api-types.js';
import { routes, seg, useApi } from './api.js';
import { Crumbs, ErrorBox, Page, StatusBadge } from './common.js';
import { bytes, digest, time } from './format.js';

export function ProjectPage({ project }: { project: string }) {
  const loaded = useApi<ProjectView>(`/projects/${seg(project)}`);
  return (
    <Page loaded={loaded}>
      {(view) => (
        <section>
          <Crumbs
            items={[
              ['projects', routes.projects()],
              [project, null],
            ]}
          />
          <h1>{project}</h1>
          <p class="links">
            <a href={routes.lineage(project)}>lineage graph</a>
          </p>
          <h2>Releases</h2>
          <table data-testid="releases">
            <thead>
              <tr>
                <th>version</th>
                <th>created</th>
                <th>package</th>
                <th class="num">package size</th>
                <th>git commit</th>
                <th class="num">generations</th>
                <th>status</th>
              </tr>
            </thead>
            <tbody>
              {view.releases.map((r) => (
                <tr key={r.version} data-release={r.version} class={r.status}>
                  <td>
                    <a href={routes.release(project, r.version)}>{r.version}</a>
                  </td>
                  <td data-field="created">{time(r.created)}</td>
                  <td data-field="package" data-value={r.package?.digest} title={r.package?.digest}>
                    {r.package ? (
                      <code>{digest(r.package.digest)}</code>
                    ) : r.status === 'ok' ? (
                      'none (program-managed)'
                    ) : (
                      '—'
                    )}
                  </td>
                  <td
                    class="num"
                    data-field="size"
                    data-value={r.package?.size}
                    title={r.package ? `${r.package.size} bytes` : ''}
                  >
                    {r.package ? bytes(r.package.size) : '—'}
                  </td>
                  <td data-field="commit" data-value={r.commit ?? ''} title={r.commit ?? ''}>
                    {r.commit ? <code>{r.commit.slice(0, 10)}</code> : '—'}
                  </td>
                  <td class="num" data-field="generations">
                    {r.generations}
                  </td>
                  <td>
                    <StatusBadge status={r.status} error={r.error} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Aliases</h2>
          {view.aliasesError ? <ErrorBox error={view.aliasesError} title="The aliases cannot be read" /> : null}
          {view.aliases.length === 0 && !view.aliasesError ? (
            <p>
              No aliases: set one with <code>statekeep alias set</code>.
            </p>
          ) : (
            <table data-testid="aliases">
              <thead>
                <tr>
                  <th>alias</th>
                  <th>points at</th>
                  <th>since</th>
                  <th>reason</th>
                </tr>
              </thead>
              <tbody>
                {view.aliases.map((a) => (
                  <tr key={a.name} data-alias={a.name}>
                    <td>
                      <a href={routes.alias(project, a.name)}>{a.name}</a>
                    </td>
                    <td data-field="target">
                      {a.target ? (
                        <a href={routes.generation(project, a.target.release, a.target.generation)}>
                          {a.target.release} #{a.target.generation}
                        </a>
                      ) : (
                        'unset'
                      )}
                    </td>
                    <td>{time(a.time)}</td>
                    <td>{a.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </Page>
  );
}
