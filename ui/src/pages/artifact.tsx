import { lazy, Suspense } from 'react';
import { Link } from 'react-aria-components';
import { useQuery } from '../use-query';
import { artifactHref, useLocation } from '../router';
import { ArtifactDetail, ArtifactHistory } from './artifact-query';
import { Layout } from '../components/layout';
import { Empty, ErrorMessage, Loading } from '../components/status';
import { ScoreBadge } from '../components/score-badge';
import { RatingChart, ratingBars } from '../components/rating-chart';
import { HistoryPanel } from '../components/history-panel';
import { FilesPanel } from '../components/files-panel';
import { AsOfBanner } from '../components/as-of-banner';
import { AliasForm } from '../components/alias-form';
import { historyFilter } from '../components/history-filters';
import { LicenseCheckForm } from '../components/license-check';
import { formatBytes, formatDate } from '../format';

// dagre is the largest piece of the UI: loaded only when a model has lineage to draw.
const LineageGraph = lazy(() => import('../components/lineage-graph'));


const typeLabel = (type: string) => type.charAt(0) + type.slice(1).toLowerCase();

export function ArtifactPage({ id }: { id: string }) {
  const { search } = useLocation();
  // `?asOf=<instant>`: the artifact as it was then (time travel); actions only fit the current state.
  const asOf = search.get('asOf') ?? undefined;
  const past = asOf !== undefined;
  const result = useQuery(ArtifactDetail, { id, asOf: asOf ?? null });
  const history = useQuery(ArtifactHistory, { id, asOf: asOf ?? null, ...historyFilter(search) });
  // An upload or an alias move changes both the artifact and its history.
  const reload = () => {
    result.reload();
    history.reload();
  };
  if (result.status === 'loading')
    return (
      <Layout title="Artifact">
        <Loading label="Loading the artifact" />
      </Layout>
    );
  if (result.status === 'error')
    return (
      <Layout title="Artifact">
        <ErrorMessage errors={result.errors} title="The artifact could not be read" />
      </Layout>
    );
  const artifact = result.data.artifact;
  if (!artifact && asOf)
    return (
      <Layout title="Artifact not found at that time">
        <AsOfBanner artifactId={id} asOf={asOf} />
        <Empty>This artifact did not exist yet, or was already deleted, on {formatDate(asOf)}.</Empty>
      </Layout>
    );
  if (!artifact)
    return (
      <Layout title="Artifact not found">
        <Empty>
          No live artifact has this id (it may have been deleted). <Link href="/browse">Back to the list</Link>.
        </Empty>
      </Layout>
    );
  const model = artifact.type === 'MODEL' && 'lineage' in artifact ? artifact : undefined;
  const rating = model?.rating;
  const bars = rating ? ratingBars(rating) : undefined;
  const canUpload = result.data.viewer.user.permissions.includes('UPLOAD');
  const canDownload = result.data.viewer.user.permissions.includes('DOWNLOAD');
  return (
    <Layout title={artifact.name}>
      {asOf && <AsOfBanner artifactId={artifact.id} asOf={asOf} />}
      <section aria-labelledby="meta-h" className="card">
        <h2 id="meta-h">Details</h2>
        <dl className="meta">
          <dt>Type</dt>
          <dd>{typeLabel(artifact.type)}</dd>
          <dt>Source</dt>
          <dd>
            <a href={artifact.url} rel="noreferrer noopener" target="_blank">
              {artifact.url}
              <span className="visually-hidden"> (opens in a new tab)</span>
            </a>
          </dd>
          <dt>Version</dt>
          <dd>{artifact.version}</dd>
          <dt>Registered</dt>
          <dd>{formatDate(artifact.createdAt)}</dd>
          <dt>Last change</dt>
          <dd>{formatDate(artifact.updatedAt)}</dd>
          <dt>Stored files</dt>
          <dd>{formatBytes(artifact.storedBytes)}</dd>
          {model && (
            <>
              <dt>Net score</dt>
              <dd>{rating ? <ScoreBadge value={rating.netScore.value} /> : 'not rated (the registry cannot read this source)'}</dd>
            </>
          )}
        </dl>
      </section>

      {model && (
        <section aria-labelledby="rating-h" className="card">
          <h2 id="rating-h">Rating</h2>
          {rating && bars ? (
            <>
              <p className="muted">
                Rated {formatDate(rating.ratedAt)}. A metric below 0.50 fails the ingest gate; the dashed line marks it. Select a metric to read why it scored what it did.
              </p>
              <RatingChart metrics={bars.metrics} caption="Trust metrics" />
              <h3 className="subhead">Size score per device</h3>
              <RatingChart metrics={bars.devices} caption="Size score per device" />
            </>
          ) : (
            <Empty>This model has no rating: its source is a host the registry cannot read.</Empty>
          )}
        </section>
      )}

      {model && (
        <section aria-labelledby="lineage-h" className="card">
          <h2 id="lineage-h">Lineage</h2>
          {model.lineage.nodes.length > 1 ? (
            <Suspense fallback={<Loading label="Drawing the lineage" />}>
              <LineageGraph
                currentId={model.id}
                nodes={model.lineage.nodes}
                links={model.lineage.edges.map((e) => ({ parent: e.parent.id, child: e.child.id, relationship: e.relationship }))}
              />
            </Suspense>
          ) : (
            <Empty>No registered parent or child.</Empty>
          )}
          {model.lineage.edges.length > 0 && (
            <ul className="plain">
              {model.lineage.edges.map((edge) => {
                const name = (nodeId: string) => model.lineage.nodes.find((n) => n.id === nodeId)?.name ?? nodeId;
                return (
                  <li key={`${edge.parent.id}-${edge.child.id}`}>
                    <Link href={artifactHref(edge.child.id)}>{name(edge.child.id)}</Link> is a {edge.relationship} of <Link href={artifactHref(edge.parent.id)}>{name(edge.parent.id)}</Link> <span className="muted">(from {edge.source})</span>
                  </li>
                );
              })}
            </ul>
          )}
          {model.lineage.unresolvedParents.length > 0 && <p>Declared parents not registered here: {model.lineage.unresolvedParents.join(', ')}.</p>}
          {model.lineage.truncated && <p>The graph is large: only the nearest 200 models are shown.</p>}
          <h3 className="subhead">Datasets and code</h3>
          {model.datasets.length + model.code.length === 0 ? (
            <Empty>No registered dataset or code is linked.</Empty>
          ) : (
            <ul className="plain">
              {[...model.datasets.map((d) => ({ ...d, kind: 'Dataset' })), ...model.code.map((c) => ({ ...c, kind: 'Code' }))].map((linked) => (
                <li key={linked.id}>
                  {linked.kind}: <Link href={artifactHref(linked.id)}>{linked.name}</Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      <section aria-labelledby="cost-h" className="card">
        <h2 id="cost-h">Cost</h2>
        <p>
          {formatBytes(artifact.cost.standaloneBytes)} on its own; {formatBytes(artifact.cost.totalBytes)} with its datasets, code and ancestors.
        </p>
        {artifact.cost.items.length > 1 && (
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Cost breakdown</caption>
              <thead>
                <tr>
                  <th scope="col">Artifact</th>
                  <th scope="col">Type</th>
                  <th scope="col">Size</th>
                </tr>
              </thead>
              <tbody>
                {artifact.cost.items.map((item) => (
                  <tr key={item.artifact.id}>
                    <td>{item.artifact.id === artifact.id ? item.artifact.name : <Link href={artifactHref(item.artifact.id)}>{item.artifact.name}</Link>}</td>
                    <td>{typeLabel(item.artifact.type)}</td>
                    <td>{item.sizeKnown ? formatBytes(item.standaloneBytes) : 'unknown (the source reports no size)'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {model && !past && (
        <section aria-labelledby="license-h" className="card">
          <h2 id="license-h">License check</h2>
          <LicenseCheckForm modelId={model.id} />
        </section>
      )}

      <section aria-labelledby="files-h" className="card">
        <h2 id="files-h">Files</h2>
        <FilesPanel artifactId={artifact.id} files={artifact.files} onChanged={reload} readOnly={past} canUpload={canUpload} canDownload={canDownload} />
      </section>

      {canUpload && !past && (
        <section aria-labelledby="aliases-h" className="card">
          <h2 id="aliases-h">Aliases</h2>
          <p className="muted">An alias such as production names one artifact of a name; moving it is recorded in the history.</p>
          <AliasForm artifactId={artifact.id} artifactName={artifact.name} onChanged={reload} />
        </section>
      )}

      <section aria-labelledby="history-h" className="card">
        <h2 id="history-h">History</h2>
        <HistoryPanel artifactId={artifact.id} state={history} />
      </section>
    </Layout>
  );
}
