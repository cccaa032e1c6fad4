import { Link } from 'react-aria-components';
import { formatDate } from '../format';
import { artifactHref, hrefOf, useLocation } from '../router';
import type { HistoryItem } from '../pages/artifact-query';
import { ChangeSentence } from './history-change';

/** Who did what, when: oldest first, as the event stream stores it; each entry opens the artifact as of then. */
export function HistoryTimeline({ items, artifactId }: { items: readonly HistoryItem[]; artifactId: string }) {
  const shownAsOf = useLocation().search.get('asOf');
  return (
    <ol className="timeline">
      {items.map((item) => (
        <li key={`${item.version}-${item.type}-${item.at}`}>
          <p>
            {/* An alias move carries the alias's own version, not the artifact's: say so. */}
            <strong>{item.type === 'ALIAS_MOVED' ? `alias v${item.version}` : `v${item.version}`}</strong> · <time dateTime={item.at}>{formatDate(item.at)}</time> · {item.actor ?? 'someone (hidden)'} <ChangeSentence change={item.change} currentId={artifactId} />.
          </p>
          {/* A download changes nothing: the state as of it is the state as of the entry before. */}
          {item.type !== 'FILE_DOWNLOADED' && item.at === shownAsOf && <p className="muted as-of">The page shows the artifact as of this change.</p>}
          {item.type !== 'FILE_DOWNLOADED' && item.at !== shownAsOf && (
            <Link className="as-of" href={hrefOf(artifactHref(artifactId), { asOf: item.at })}>
              View as of this change<span className="visually-hidden"> (v{item.version}, {formatDate(item.at)})</span>
            </Link>
          )}
        </li>
      ))}
    </ol>
  );
}
