import { useState } from 'react';
import { Button, FileTrigger, Label, ProgressBar } from 'react-aria-components';
import { graphql } from '../graphql';
import { describeErrors, request } from '../api';
import { formatBytes } from '../format';
import { putWithProgress, sha256Hex } from '../sha256';
import { Empty } from './status';

const CreateUploadUrl = graphql(`
  mutation CreateUploadUrl($input: CreateUploadUrlInput!) {
    createUploadUrl(input: $input) { uploadId url headers { name value } }
  }
`);
const CompleteUpload = graphql(`
  mutation CompleteUpload($input: CompleteUploadInput!) {
    completeUpload(input: $input) { file { path size sha256 } }
  }
`);
// Every URL issued is a download in the history, and `files` takes no path: asked per click, not on load.
const FileUrls = graphql(`
  query FileUrls($id: ID!) {
    artifact(id: $id) { id files { path downloadUrl } }
  }
`);

export interface FileRow {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly contentType: string;
}

type Upload = { state: 'idle' } | { state: 'hashing'; name: string } | { state: 'uploading'; name: string; fraction: number } | { state: 'done'; name: string } | { state: 'failed'; name: string; message: string };

/** The artifact's files: download links on request, and uploads straight to storage (presigned PUT). */
// `readOnly`: a past state (time travel) lists its files but offers no upload or download.
// `canUpload`/`canDownload`: the viewer's permissions; what would be refused is not offered.
export function FilesPanel({
  artifactId,
  files,
  onChanged,
  readOnly = false,
  canUpload,
  canDownload,
}: {
  artifactId: string;
  files: readonly FileRow[];
  onChanged(): void;
  readOnly?: boolean;
  canUpload: boolean;
  canDownload: boolean;
}) {
  const offersDownload = !readOnly && canDownload;
  const offersUpload = !readOnly && canUpload;
  const [upload, setUpload] = useState<Upload>({ state: 'idle' });
  const [links, setLinks] = useState<Record<string, string>>({});
  const [downloadError, setDownloadError] = useState<string>();

  async function start(file: File) {
    setUpload({ state: 'hashing', name: file.name });
    const sha256 = await sha256Hex(file);
    const ticket = await request(CreateUploadUrl, { input: { artifactId, path: file.name, size: file.size, sha256, contentType: file.type || 'application/octet-stream' } });
    if (!ticket.ok) return setUpload({ state: 'failed', name: file.name, message: describeErrors(ticket.errors) });
    const { uploadId, url, headers } = ticket.data.createUploadUrl;
    setUpload({ state: 'uploading', name: file.name, fraction: 0 });
    try {
      await putWithProgress(url, headers, file, (fraction) => setUpload({ state: 'uploading', name: file.name, fraction }));
    } catch (error) {
      return setUpload({ state: 'failed', name: file.name, message: error instanceof Error ? error.message : String(error) });
    }
    const done = await request(CompleteUpload, { input: { uploadId } });
    if (!done.ok) return setUpload({ state: 'failed', name: file.name, message: describeErrors(done.errors) });
    setUpload({ state: 'done', name: file.name });
    onChanged();
  }

  async function linkFor(path: string) {
    setDownloadError(undefined);
    const result = await request(FileUrls, { id: artifactId });
    if (!result.ok) return setDownloadError(describeErrors(result.errors));
    const found = result.data.artifact?.files.find((f) => f.path === path)?.downloadUrl;
    if (!found) return setDownloadError(describeErrors(result.errors) || 'no download URL was issued');
    setLinks((current) => ({ ...current, [path]: found }));
  }

  return (
    <>
      {files.length === 0 ? (
        <Empty>No files yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Files</caption>
            <thead>
              <tr>
                <th scope="col">Path</th>
                <th scope="col">Size</th>
                <th scope="col">SHA-256</th>
                {offersDownload && <th scope="col">Download</th>}
              </tr>
            </thead>
            <tbody>
              {files.map((file) => (
                <tr key={file.path}>
                  <td>{file.path}</td>
                  <td>{formatBytes(file.size)}</td>
                  <td>
                    <code title={file.sha256}>{file.sha256.slice(0, 12)}…</code>
                  </td>
                  {offersDownload && (
                    <td>
                      {links[file.path] ? (
                        <a href={links[file.path]} download={file.path.split('/').at(-1)}>
                          Save {file.path} (link valid for a few minutes)
                        </a>
                      ) : (
                        <Button className="button secondary" onPress={() => void linkFor(file.path)} aria-label={`Download ${file.path}`}>
                          Download
                        </Button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {downloadError && (
        <div role="alert" className="message error">
          Download failed: {downloadError}
        </div>
      )}
      {!readOnly && (!canDownload || !canUpload) && (
        <p className="muted">
          {!canDownload && 'Downloading needs the Download permission. '}
          {!canUpload && 'Uploading needs the Upload permission.'}
        </p>
      )}
      {offersUpload && (
        <div className="upload">
          <FileTrigger onSelect={(list) => list?.[0] && void start(list[0])}>
            <Button className="button" isDisabled={upload.state === 'hashing' || upload.state === 'uploading'}>
              Upload a file…
            </Button>
          </FileTrigger>
          {upload.state === 'hashing' && <p role="status">Computing the SHA-256 of {upload.name}…</p>}
          {upload.state === 'uploading' && (
            <ProgressBar value={upload.fraction * 100} className="progress">
              {({ percentage, valueText }) => (
                <>
                  <Label>Uploading {upload.name}</Label>
                  <span className="progress-value">{valueText}</span>
                  <div className="bar-track">
                    <div className="bar bar-pass" style={{ width: `${percentage ?? 0}%` }} />
                  </div>
                </>
              )}
            </ProgressBar>
          )}
          {upload.state === 'done' && <p role="status">Uploaded {upload.name}.</p>}
          {upload.state === 'failed' && (
            <div role="alert" className="message error">
              Uploading {upload.name} failed: {upload.message}
            </div>
          )}
        </div>
      )}
    </>
  );
}
