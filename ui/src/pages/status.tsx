import { graphql } from '../graphql';
import { useQuery } from '../use-query';
import { Button } from 'react-aria-components';
import { Layout } from '../components/layout';
import { Empty, ErrorMessage, Loading } from '../components/status';

const Health = graphql(`
  query Health { health { status version components { name status latencyMs detail } warnings } }
`);

const STATUS_TEXT = { OK: '✓ OK', DEGRADED: '! Degraded', DOWN: '✗ Down' } as const;

/** Components and warnings are for admins: others see the status and a note why the rest is missing. */
export function StatusPage() {
  const health = useQuery(Health, {});
  return (
    <Layout title="Health">
      <Button className="button secondary" onPress={health.reload}>
        Check again
      </Button>
      {health.status === 'loading' && <Loading label="Checking health" />}
      {health.status === 'error' && <ErrorMessage errors={health.errors} title="Health could not be read" />}
      {health.status === 'done' && (
        <>
          <p className={`status status-${health.data.health.status.toLowerCase()}`}>
            Registry: <strong>{STATUS_TEXT[health.data.health.status]}</strong>
            {health.data.health.version && <span className="muted"> (version {health.data.health.version})</span>}
          </p>
          {health.errors.length > 0 && <p className="muted">Components and warnings need the ADMIN permission.</p>}
          <h2>Components</h2>
          {health.data.health.components?.length ? (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Component</th>
                    <th scope="col">Status</th>
                    <th scope="col">Latency</th>
                    <th scope="col">Detail</th>
                  </tr>
                </thead>
                <tbody>
                  {health.data.health.components.map((c) => (
                    <tr key={c.name}>
                      <td>{c.name}</td>
                      <td>{STATUS_TEXT[c.status]}</td>
                      <td>{c.latencyMs.toFixed(1)} ms</td>
                      <td>{c.detail ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <Empty>No component details.</Empty>
          )}
          <h2>Warnings</h2>
          {health.data.health.warnings?.length ? (
            <ul>
              {health.data.health.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : (
            <Empty>No warnings.</Empty>
          )}
        </>
      )}
    </Layout>
  );
}
