import { useState } from 'react';
import { Button, Form, Input, Label, Link, Radio, RadioGroup, SearchField, Text } from 'react-aria-components';
import { graphql, type VariablesOf } from '../graphql';
import { useQuery } from '../use-query';
import { artifactHref, hrefOf, navigate, useLocation } from '../router';
import { Layout } from '../components/layout';
import { Empty, ErrorMessage, Loading } from '../components/status';
import { ScoreBadge } from '../components/score-badge';
import { licenseFromExplanation } from '../format';
import { RegexResults } from '../components/regex-results';
import { SelectField } from '../components/select-field';
import { NetScoreCell, UpdatedCell } from '../components/artifact-cells';
import { AliasLookup } from '../components/alias-lookup';
import { usePermissions } from '../viewer';

const PAGE_SIZE = 20;

const Artifacts = graphql(`
  query Artifacts($filter: ArtifactFilter, $first: Int, $after: String) {
    artifacts(filter: $filter, first: $first, after: $after) {
      edges {
        node {
          id type name url version updatedAt
          ... on Model { rating { netScore { value } license { value explanation } } }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

type ArtifactType = 'MODEL' | 'DATASET' | 'CODE';
const TYPES: readonly ArtifactType[] = ['MODEL', 'DATASET', 'CODE'];
const typeLabel = (type: string) => type.charAt(0) + type.slice(1).toLowerCase();
const isType = (value: string | null): value is ArtifactType => TYPES.includes(value as ArtifactType);

type Mode = 'loose' | 'exact' | 'regex';

/**
 * The list's state is its URL (type, q, match, after; or type, regex, after), so every result page
 * can be shared. `regex` searches names and READMEs; the others filter by name.
 */
export function BrowsePage() {
  const { search } = useLocation();
  const typeParam = search.get('type');
  const type = isType(typeParam) ? typeParam : undefined;
  const regex = search.get('regex');
  const q = search.get('q') ?? '';
  const urlMode: Mode = regex !== null ? 'regex' : search.get('match') === 'exact' ? 'exact' : 'loose';
  const after = search.get('after') ?? undefined;
  const [mode, setMode] = useState<Mode>(urlMode);
  const [shownMode, setShownMode] = useState<Mode>(urlMode);
  // Follows the URL when it changes (back, forward, a link) while keeping a choice not yet submitted.
  if (shownMode !== urlMode) {
    setShownMode(urlMode);
    setMode(urlMode);
  }

  return (
    <Layout title="Artifacts">
      <Form
        className="filters"
        role="search"
        aria-label="Find artifacts"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const nextType = String(form.get('type') ?? '');
          const text = String(form.get('q') ?? '');
          const typeValue = nextType === 'ALL' ? undefined : nextType;
          // A pattern keeps its spaces: they are part of what it matches.
          if (form.get('match') === 'regex') navigate(hrefOf('/browse', { type: typeValue, regex: text }));
          else navigate(hrefOf('/browse', { type: typeValue, q: text.trim(), match: form.get('match') === 'exact' ? 'exact' : undefined }));
        }}
      >
        <SelectField name="type" label="Type" selected={type ?? 'ALL'} options={[{ id: 'ALL', label: 'All types' }, ...TYPES.map((t) => ({ id: t, label: typeLabel(t) }))]} />
        <SearchField name="q" defaultValue={regex ?? q} key={`q-${regex ?? q}`} className="search-field">
          <Label>{mode === 'regex' ? 'Pattern' : 'Name'}</Label>
          <Input placeholder={mode === 'regex' ? 'e.g. (?i)question answering' : 'e.g. BERT base uncased'} />
          {mode === 'regex' && (
            <Text slot="description">RE2 syntax, matched anywhere in the name or README; (?i) ignores case.</Text>
          )}
        </SearchField>
        <RadioGroup name="match" value={mode} onChange={(value) => setMode(value as Mode)} orientation="horizontal" className="radio-group">
          <Label>Match</Label>
          <Radio value="loose">Ignoring case and punctuation</Radio>
          <Radio value="exact">Exact name</Radio>
          <Radio value="regex">Regular expression (name and README)</Radio>
        </RadioGroup>
        <Button type="submit" className="button">
          Search
        </Button>
      </Form>

      {regex !== null ? (
        regex === '' ? (
          <Empty>Type a pattern to search names and READMEs.</Empty>
        ) : (
          <RegexResults regex={regex} type={type} after={after} pageSize={PAGE_SIZE} />
        )
      ) : (
        <NameResults type={type} q={q} match={urlMode === 'exact' ? 'exact' : 'loose'} after={after} />
      )}
      <AliasLookup />
    </Layout>
  );
}

/** The name-filtered list (`?q=`, `match=exact`), paged by cursor. */
function NameResults({ type, q, match, after }: { type: ArtifactType | undefined; q: string; match: 'exact' | 'loose'; after: string | undefined }) {
  const filter: VariablesOf<typeof Artifacts>['filter'] = {
    ...(type && { types: [type] }),
    ...(q && (match === 'exact' ? { name: q } : { normalizedName: q })),
  };
  const result = useQuery(Artifacts, { filter, first: PAGE_SIZE, after });
  const mayRegister = usePermissions()?.includes('UPLOAD');
  return (
    <>
      {result.status === 'loading' && <Loading label="Loading artifacts" />}
      {result.status === 'error' && <ErrorMessage errors={result.errors} title="The artifacts could not be listed" />}
      {result.status === 'done' && result.data.artifacts.edges.length === 0 && (
        <Empty>
          {q || type ? 'No artifact matches this search.' : 'The registry holds no artifacts yet.'}
          {mayRegister && (
            <>
              {' '}
              <Link href="/register">Register one</Link>.
            </>
          )}
        </Empty>
      )}
      {result.status === 'done' && result.data.artifacts.edges.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Artifacts{after ? ', a later page' : ''}</caption>
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col">Name</th>
                  <th scope="col">Net score</th>
                  <th scope="col">License</th>
                  <th scope="col">Last change</th>
                </tr>
              </thead>
              <tbody>
                {result.data.artifacts.edges.map(({ node }) => {
                  const rating = 'rating' in node ? node.rating : undefined;
                  return (
                    <tr key={node.id}>
                      <td>{typeLabel(node.type)}</td>
                      <td>
                        <Link href={artifactHref(node.id)}>{node.name}</Link>
                      </td>
                      <NetScoreCell type={node.type} netScore={rating?.netScore.value} />
                      <td>{rating ? (licenseFromExplanation(rating.license.explanation) ?? <ScoreBadge value={rating.license.value} />) : '—'}</td>
                      <UpdatedCell updatedAt={node.updatedAt} version={node.version} />
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <nav aria-label="Pages" className="pager">
            {after && <Link href={hrefOf('/browse', { type, q, match: match === 'exact' ? 'exact' : undefined })}>First page</Link>}
            {result.data.artifacts.pageInfo.hasNextPage && result.data.artifacts.pageInfo.endCursor && (
              <Link href={hrefOf('/browse', { type, q, match: match === 'exact' ? 'exact' : undefined, after: result.data.artifacts.pageInfo.endCursor })}>Next page</Link>
            )}
          </nav>
        </>
      )}
    </>
  );
}
