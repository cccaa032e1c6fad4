import { Link } from 'react-aria-components';
import { graphql } from '../graphql';
import { useQuery } from '../use-query';
import type { ApiError } from '../api';
import { artifactHref, hrefOf } from '../router';
import { Empty, ErrorMessage, Loading } from './status';
import { NetScoreCell, UpdatedCell } from './artifact-cells';
import { usePermissions } from '../viewer';

const SearchArtifacts = graphql(`
  query SearchArtifacts($regex: String!, $types: [ArtifactType!], $first: Int, $after: String) {
    searchArtifacts(regex: $regex, types: $types, first: $first, after: $after) {
      edges {
        matches { field snippet start end }
        node {
          id type name version updatedAt
          ... on Model { rating { netScore { value } } }
        }
      }
      pageInfo { hasNextPage endCursor }
      examined indexed
    }
  }
`);

type ArtifactType = 'MODEL' | 'DATASET' | 'CODE';
const typeLabel = (type: string) => type.charAt(0) + type.slice(1).toLowerCase();

/** A snippet with the match inside <mark>: the highlight is an element, so it reads without colour. */
function Snippet({ field, snippet, start, end }: { field: string; snippet: string; start: number; end: number }) {
  return (
    <p className="snippet">
      <span className="snippet-field">{field === 'NAME' ? 'Name' : 'README'}:</span>{' '}
      {snippet.slice(0, start)}
      <mark>{snippet.slice(start, end)}</mark>
      {snippet.slice(end)}
    </p>
  );
}

/** RE2's refusal, said as such: the reason and where in the pattern, not a generic failure. */
function PatternError({ errors }: { errors: readonly ApiError[] }) {
  const refused = errors.find((e) => e.code === 'BAD_USER_INPUT' && typeof e.extensions['reason'] === 'string');
  if (!refused) return <ErrorMessage errors={errors} title="The search failed" />;
  const position = refused.extensions['position'];
  return (
    <div role="alert" className="message error">
      <strong>This pattern is not a valid regular expression.</strong> {String(refused.extensions['reason'])}
      {typeof position === 'number' && ` (at character ${position + 1})`}. Patterns use RE2 syntax: no backreferences or lookaround.
    </div>
  );
}

/** Regex search over names and READMEs (`?regex=`), paged by the cursors the registry hands out. */
export function RegexResults({ regex, type, after, pageSize }: { regex: string; type: ArtifactType | undefined; after: string | undefined; pageSize: number }) {
  const result = useQuery(SearchArtifacts, { regex, types: type ? [type] : undefined, first: pageSize, after });
  const mayRegister = usePermissions()?.includes('UPLOAD');
  if (result.status === 'loading') return <Loading label="Searching" />;
  if (result.status === 'error') return <PatternError errors={result.errors} />;
  const { edges, pageInfo, examined, indexed } = result.data.searchArtifacts;
  const next = pageInfo.hasNextPage && pageInfo.endCursor;
  return (
    <>
      <p className="muted" role="status">
        {edges.length === 0 ? 'No name or README matches this pattern' : `${edges.length} ${edges.length === 1 ? 'match' : 'matches'} on this page`}; {examined} of {indexed} artifacts examined.
      </p>
      {edges.length === 0 && !next && (
        <Empty>
          No artifact matches this pattern.
          {mayRegister && (
            <>
              {' '}
              <Link href="/register">Register one</Link>.
            </>
          )}
        </Empty>
      )}
      {edges.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Artifacts matching the pattern{after ? ', a later page' : ''}</caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Name</th>
                <th scope="col">Match</th>
                <th scope="col">Net score</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {edges.map(({ node, matches }) => {
                const rating = 'rating' in node ? node.rating : undefined;
                return (
                  <tr key={node.id}>
                    <td>{typeLabel(node.type)}</td>
                    <td>
                      <Link href={artifactHref(node.id)}>{node.name}</Link>
                    </td>
                    <td>
                      {matches.map((m) => (
                        <Snippet key={m.field} {...m} />
                      ))}
                    </td>
                    <NetScoreCell type={node.type} netScore={rating?.netScore.value} />
                    <UpdatedCell updatedAt={node.updatedAt} version={node.version} />
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages" className="pager">
        {after && <Link href={hrefOf('/browse', { type, regex })}>First page</Link>}
        {next && <Link href={hrefOf('/browse', { type, regex, after: next })}>Next page</Link>}
      </nav>
    </>
  );
}
