import { formatScore, VERDICT_TEXT, verdictOf, type Score } from '../format';

/** A score as text and a symbol, never colour alone: "✓ 0.82 passes". */
export function ScoreBadge({ value, label }: { value: Score | undefined; label?: string }) {
  if (value === undefined) return <span className="badge badge-na">not rated</span>;
  const verdict = verdictOf(value);
  const symbol = verdict === 'pass' ? '✓' : verdict === 'fail' ? '✗' : '–';
  return (
    <span className={`badge badge-${verdict}`}>
      <span aria-hidden="true">{symbol} </span>
      {label ? `${label} ` : ''}
      {formatScore(value)} <span className="badge-verdict">{VERDICT_TEXT[verdict]}</span>
    </span>
  );
}
