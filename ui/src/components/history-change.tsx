import { Link } from 'react-aria-components';
import { artifactHref } from '../router';
import { formatBytes, formatScore } from '../format';
import type { HistoryChange } from '../pages/artifact-query';

/** An artifact named in a change: "this artifact" for the page's own, else a link to it. */
function ArtifactRef({ id, currentId }: { id: string | null; currentId: string }) {
  if (id === null) return <>nothing</>;
  if (id === currentId) return <>this artifact</>;
  return <Link href={artifactHref(id)}>artifact {id}</Link>;
}

/** "from A to B", or "to B" when the history did not keep the old value. */
function FromTo({ from, to }: { from: string | null; to: string }) {
  return from === null ? (
    <>
      to <q>{to}</q>
    </>
  ) : (
    <>
      from <q>{from}</q> to <q>{to}</q>
    </>
  );
}

/**
 * What one history entry changed, as a sentence that follows "<who> …". One branch per member
 * of the `HistoryChange` union; TypeScript narrows each on `__typename`.
 */
export function ChangeSentence({ change, currentId }: { change: HistoryChange; currentId: string }) {
  switch (change.__typename) {
    case 'RegisteredChange':
      return (
        <>
          registered <q>{change.registeredName}</q> from {change.registeredUrl}
          {change.registeredScore !== null && <> with net score {formatScore(change.registeredScore)}</>}
        </>
      );
    case 'UpdatedChange':
      return (
        <>
          {change.renamed && (
            <>
              renamed it <FromTo from={change.renamed.from} to={change.renamed.to} />
            </>
          )}
          {change.renamed && change.repointed && '; '}
          {change.repointed && (
            <>
              changed the URL <FromTo from={change.repointed.from} to={change.repointed.to} />
            </>
          )}
          {!change.renamed && !change.repointed && 'updated it'}
          {change.updatedScore !== null && <> (rated with net score {formatScore(change.updatedScore)})</>}
        </>
      );
    case 'RatedChange':
      return <>rated it with net score {formatScore(change.netScore)}</>;
    case 'FileAddedChange':
      return (
        <>
          added the file <code>{change.path}</code> ({formatBytes(change.size)}, {change.contentType})
        </>
      );
    case 'LinkedChange':
      return (
        <>
          linked it to{' '}
          {change.links.map((link, index) => (
            <span key={`${link.kind}-${link.targetId}`}>
              {index > 0 && ', '}
              <Link href={artifactHref(link.targetId)}>{link.reference}</Link> ({link.kind.toLowerCase()}, {link.relationship})
            </span>
          ))}
        </>
      );
    case 'DownloadedChange':
      return change.downloadedPath === null ? (
        <>downloaded all files as a zip</>
      ) : (
        <>
          downloaded <code>{change.downloadedPath}</code>
        </>
      );
    case 'MirrorStatusChange':
      return (
        <>
          mirrored files from the Hub: {change.status.state.toLowerCase()}, {change.status.filesDone} of {change.status.filesTotal} files ({formatBytes(change.status.bytesDone)})
          {change.status.error && <>: {change.status.error}</>}
        </>
      );
    case 'AliasMovedChange':
      return (
        <>
          moved alias <code>{change.alias}</code> of {change.aliasName} from <ArtifactRef id={change.from} currentId={currentId} /> to <ArtifactRef id={change.to} currentId={currentId} />
        </>
      );
    case 'DeletedChange':
      return <>deleted it</>;
  }
}
