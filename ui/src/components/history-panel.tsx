import { Link } from 'react-aria-components';
import type { ResultOf } from '../graphql';
import type { QueryState } from '../use-query';
import { hrefOf, useLocation } from '../router';
import type { ArtifactHistory } from '../pages/artifact-query';
import { ErrorMessage, Empty, Loading } from './status';
import { HistoryFilters } from './history-filters';
import { HistoryTimeline } from './history-timeline';

/** The history section's body: filters, one page of the timeline, and links to the other pages (in the URL). */
export function HistoryPanel({ artifactId, state }: { artifactId: string; state: QueryState<ResultOf<typeof ArtifactHistory>> }) {
  const { pathname, search } = useLocation();
  const keep = (after: string | undefined) => hrefOf(pathname, { asOf: search.get('asOf') ?? undefined, show: search.get('show') ?? undefined, from: search.get('from') ?? undefined, to: search.get('to') ?? undefined, after });
  const history = state.status === 'done' ? state.data.artifact?.history : undefined;
  return (
    <>
      <HistoryFilters />
      {state.status === 'loading' && <Loading label="Loading the history" />}
      {state.status === 'error' && <ErrorMessage errors={state.errors} title="The history could not be read" />}
      {state.status === 'done' && (!history || history.edges.length === 0) && <Empty>No history entry matches these filters.</Empty>}
      {history && history.edges.length > 0 && <HistoryTimeline items={history.edges.map((e) => e.node)} artifactId={artifactId} />}
      <div className="actions">
        {search.get('after') && <Link href={keep(undefined)}>First changes</Link>}
        {history?.pageInfo.hasNextPage && history.pageInfo.endCursor && <Link href={keep(history.pageInfo.endCursor)}>Later changes</Link>}
      </div>
    </>
  );
}
