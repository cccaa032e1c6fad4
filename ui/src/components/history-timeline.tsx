import { formatDate } from '../format';

export interface HistoryItem {
  readonly version: number;
  readonly type: string;
  readonly at: string;
  readonly actor: string | null;
  readonly changes: string;
}

const EVENT_TEXT: Record<string, string> = {
  REGISTERED: 'registered',
  UPDATED: 'changed',
  RATED: 'rated',
  LINKED: 'linked',
  FILE_ADDED: 'added a file',
  FILE_DOWNLOADED: 'downloaded',
  MIRROR_STATUS_CHANGED: 'mirror progress',
  DELETED: 'deleted',
};

/** A short, readable summary of an event's JSON changes (the full JSON is one click away). */
function summary(changes: string): string {
  try {
    const parsed: unknown = JSON.parse(changes);
    if (typeof parsed !== 'object' || parsed === null) return String(parsed);
    return Object.entries(parsed as Record<string, unknown>)
      .slice(0, 4)
      .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value).slice(0, 60) : String(value)}`)
      .join(', ');
  } catch {
    return changes.slice(0, 120);
  }
}

/** Who did what, when: oldest first, as the event stream stores it. */
export function HistoryTimeline({ items }: { items: readonly HistoryItem[] }) {
  return (
    <ol className="timeline">
      {items.map((item) => (
        <li key={item.version}>
          <p>
            <strong>v{item.version}</strong> · <time dateTime={item.at}>{formatDate(item.at)}</time> · {item.actor ?? 'someone (hidden)'} {EVENT_TEXT[item.type] ?? item.type.toLowerCase()}
          </p>
          {item.changes !== '{}' && (
            <details>
              <summary>{summary(item.changes)}</summary>
              <pre>{item.changes}</pre>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}
