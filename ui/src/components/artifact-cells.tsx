import { ScoreBadge } from './score-badge';
import { formatDate, type Score } from '../format';

/** The net score column of an artifact list: models only are rated. */
export function NetScoreCell({ type, netScore }: { type: string; netScore: Score | undefined }) {
  return <td>{type === 'MODEL' ? <ScoreBadge value={netScore} /> : <span className="muted">not rated (not a model)</span>}</td>;
}

/** The last-change column of an artifact list: when, and the version it made. */
export function UpdatedCell({ updatedAt, version }: { updatedAt: string; version: number }) {
  return (
    <td>
      {formatDate(updatedAt)} <span className="muted">(v{version})</span>
    </td>
  );
}
