import { Button, Form, Input, Label, TextField } from 'react-aria-components';
import { SelectField } from './select-field';
import type { VariablesOf } from '../graphql';
import { hrefOf, navigate, useLocation } from '../router';
import type { ArtifactHistory } from '../pages/artifact-query';

type EventType = NonNullable<VariablesOf<typeof ArtifactHistory>['types']>[number];

/** Kinds a reader asks for, each a set of event types the API filters on (`history(types:)`). */
const KINDS: Record<string, { label: string; types: readonly EventType[] }> = {
  all: { label: 'Everything', types: [] },
  changes: { label: 'Changes (no downloads)', types: ['REGISTERED', 'UPDATED', 'RATED', 'LINKED', 'FILE_ADDED', 'MIRROR_STATUS_CHANGED', 'ALIAS_MOVED', 'DELETED'] },
  updates: { label: 'Renames and URL changes', types: ['REGISTERED', 'UPDATED'] },
  ratings: { label: 'Ratings', types: ['REGISTERED', 'RATED', 'UPDATED'] },
  files: { label: 'Files and downloads', types: ['FILE_ADDED', 'FILE_DOWNLOADED', 'MIRROR_STATUS_CHANGED'] },
  aliases: { label: 'Aliases', types: ['ALIAS_MOVED'] },
};

const isDay = (value: string | null): value is string => value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value);
/** A day of the URL (`2026-12-01`) as the reader's local midnight, or the end of that day. */
const dayStart = (day: string) => new Date(`${day}T00:00:00`).toISOString();
const dayEnd = (day: string) => new Date(`${day}T23:59:59.999`).toISOString();

/** The history variables of the page's URL (`?show=ratings&from=2026-12-01&to=2026-12-02&after=<cursor>`). */
export function historyFilter(search: URLSearchParams): Pick<VariablesOf<typeof ArtifactHistory>, 'types' | 'from' | 'to' | 'after'> {
  const kind = KINDS[search.get('show') ?? 'all'] ?? KINDS['all']!;
  const from = search.get('from');
  const to = search.get('to');
  return {
    ...(kind.types.length > 0 && { types: [...kind.types] }),
    ...(isDay(from) && { from: dayStart(from) }),
    ...(isDay(to) && { to: dayEnd(to) }),
    ...(search.get('after') && { after: search.get('after') }),
  };
}

/** Filters the timeline through the URL, so a filtered history can be shared (and survives back/forward). */
export function HistoryFilters() {
  const { pathname, search } = useLocation();
  const show = search.get('show') ?? 'all';
  const from = search.get('from') ?? '';
  const to = search.get('to') ?? '';
  return (
    <Form
      className="form history-filters"
      aria-label="Filter the history"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const value = (name: string) => String(form.get(name) ?? '') || undefined;
        const kind = value('show');
        navigate(hrefOf(pathname, { asOf: search.get('asOf') ?? undefined, show: kind === 'all' ? undefined : kind, from: value('from'), to: value('to') }));
      }}
    >
      <SelectField name="show" label="Show" selected={show} options={Object.entries(KINDS).map(([id, kind]) => ({ id, label: kind.label }))} />
      <TextField name="from" type="date" defaultValue={from} key={`from-${from}`}>
        <Label>From day</Label>
        <Input />
      </TextField>
      <TextField name="to" type="date" defaultValue={to} key={`to-${to}`}>
        <Label>To day</Label>
        <Input />
      </TextField>
      <Button type="submit" className="button secondary">
        Filter
      </Button>
    </Form>
  );
}
