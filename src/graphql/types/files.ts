import { storedBytes } from '../../domain/artifact-files.js';
import type { HeldFile } from '../../application/file-commands.js';
import type { ArtifactState } from '../../domain/artifact-state.js';
import { builder } from '../builder.js';
import { toGraphQLError, unwrap } from '../errors.js';
import { appError } from '../../domain/result.js';
import { parseArtifactRef } from '../global-id.js';
import { session } from '../session.js';
import { ArtifactInterface } from './artifact.js';
import { MirrorStatusRef } from './mirror-status.js';
import { isPast } from '../../application/artifact-queries.js';

export const ArtifactFileRef = builder.objectRef<HeldFile>('ArtifactFile').implement({
  description: 'One file of an artifact. Its bytes are stored once per content (SHA-256), however many artifacts hold them.',
  fields: (t) => ({
    path: t.exposeString('path', { description: 'Relative path inside the artifact, e.g. config.json or onnx/model.onnx.' }),
    size: t.field({ type: 'Bytes', description: 'Size of the file in bytes.', resolve: (file) => file.size }),
    sha256: t.exposeString('sha256', { description: 'Lower-case hex SHA-256 of the content.' }),
    contentType: t.exposeString('contentType', { description: 'MIME type given at upload or reported by the Hub; application/octet-stream when none was.' }),
    downloadUrl: t.string({
      nullable: true,
      description:
        'A presigned GET URL for the bytes, valid for DOWNLOAD_URL_TTL_SECONDS (300 s by default). Each URL issued is recorded as a download in the history; the artifact\'s version does not change. ' +
        'NOT_FOUND when the artifact no longer holds this content at this path. Needs DOWNLOAD (null with a FORBIDDEN error otherwise); at most 20 download URLs per request (QUERY_TOO_COMPLEX).',
      authScopes: { permission: 'DOWNLOAD' },
      resolve: async (file, _args, ctx) => {
        const { scope, actor } = session(ctx);
        unwrap(ctx.downloadUrls.take());
        return unwrap(await scope.files.downloadUrl(file.artifactId, file.path, actor, file.sha256));
      },
    }),
  }),
});

builder.interfaceFields(ArtifactInterface, (t) => ({
  files: t.field({
    type: [ArtifactFileRef],
    description: 'Files stored in the registry for this artifact (uploaded or mirrored), ordered by path; at most 1,000.',
    resolve: (artifact: ArtifactState) =>
      [...artifact.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((file) => ({ ...file, artifactId: artifact.id })),
  }),
  storedBytes: t.field({
    type: 'Bytes',
    description: 'Bytes this artifact stores: the sum over its distinct file contents.',
    resolve: (artifact: ArtifactState) => storedBytes(artifact.files),
  }),
  mirrorStatus: t.field({
    type: MirrorStatusRef,
    nullable: true,
    description: 'Progress of the latest mirrorArtifactFiles call; null when the artifact was never mirrored.',
    resolve: (artifact: ArtifactState) => artifact.mirrorStatus,
  }),
  downloadUrl: t.string({
    nullable: true,
    description:
      'A presigned GET URL of a zip of all files (built on first request, cached by content), valid for DOWNLOAD_URL_TTL_SECONDS (300 s by default). Recorded as a download in the history (the version does not change). ' +
      'NOT_FOUND when the artifact has no files. Needs DOWNLOAD (null with a FORBIDDEN error otherwise); at most 20 download URLs per request (QUERY_TOO_COMPLEX).',
    authScopes: { permission: 'DOWNLOAD' },
    resolve: async (artifact: ArtifactState, _args, ctx) => {
      const { scope, actor } = session(ctx);
      unwrap(ctx.downloadUrls.take());
      // A past state's zip is of the files it had then: served only while the artifact still has exactly those.
      return unwrap(await scope.files.packageUrl(artifact.id, actor, isPast(artifact) ? artifact.files : undefined));
    },
  }),
}));

const CreateUploadUrlInput = builder.inputType('CreateUploadUrlInput', {
  description: 'The file about to be uploaded, declared exactly: completeUpload checks the bytes against it.',
  fields: (t) => ({
    artifactId: t.id({ required: true, description: 'Global id of a live artifact (else NOT_FOUND).' }),
    path: t.string({ required: true, description: 'Relative path inside the artifact, 1 to 256 characters: no leading `/`, no `.`, `..` or empty segments, no backslashes or control characters (else BAD_USER_INPUT). A path added again replaces the earlier file.' }),
    size: t.field({
      type: 'Bytes',
      required: true,
      description: 'Exact byte count of the file. Over MAX_UPLOAD_BYTES (5 GiB by default), or an artifact over MAX_ARTIFACT_BYTES or 1,000 files: PAYLOAD_TOO_LARGE.',
    }),
    sha256: t.string({ required: true, description: 'SHA-256 of the file: 64 hex digits, either case.' }),
    contentType: t.string({ required: false, description: 'MIME type such as text/plain, at most 200 characters; application/octet-stream when absent.' }),
  }),
});

const HttpHeaderRef = builder.objectRef<{ name: string; value: string }>('HttpHeader').implement({
  description: 'One HTTP header to send.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Header name, e.g. x-amz-checksum-sha256.' }),
    value: t.exposeString('value', { description: 'Header value, to send exactly as given.' }),
  }),
});

const UploadTicketRef = builder
  .objectRef<{ uploadId: string; url: string; headers: readonly { name: string; value: string }[]; expiresAt: string }>('CreateUploadUrlPayload')
  .implement({
    description: 'Where and how to PUT the bytes of a declared file.',
    fields: (t) => ({
      uploadId: t.exposeString('uploadId', { description: 'Pass it to completeUpload after the PUT succeeded. Only its creator can complete it.' }),
      url: t.exposeString('url', { description: 'Presigned PUT URL of a staging object.' }),
      headers: t.field({ type: [HttpHeaderRef], description: 'Headers the PUT must send, exactly as given (they are signed).', resolve: (p) => p.headers }),
      expiresAt: t.field({
        type: 'DateTime',
        description: 'When the upload URL stops working (UPLOAD_URL_TTL_SECONDS, 900 s by default). Uploads never completed are deleted after a day.',
        resolve: (p) => p.expiresAt,
      }),
    }),
  });

const FilePayloadRef = (name: string, description: string) =>
  builder.objectRef<{ file: HeldFile }>(name).implement({
    description,
    fields: (t) => ({ file: t.field({ type: ArtifactFileRef, description: 'The file as the artifact now holds it.', resolve: (p) => p.file }) }),
  });

const CompleteUploadInput = builder.inputType('CompleteUploadInput', {
  description: 'The upload to finish.',
  fields: (t) => ({ uploadId: t.string({ required: true, description: "createUploadUrl's uploadId. Unknown, already completed or someone else's: NOT_FOUND." }) }),
});

const UploadFileInput = builder.inputType('UploadFileInput', {
  description: 'A small file sent in the request itself, and where it goes.',
  fields: (t) => ({
    artifactId: t.id({ required: true, description: 'Global id of a live artifact (else NOT_FOUND).' }),
    path: t.string({ required: true, description: 'Relative path inside the artifact, 1 to 256 characters: no leading `/`, no `.`, `..` or empty segments, no backslashes or control characters (else BAD_USER_INPUT). A path added again replaces the earlier file.' }),
    contentType: t.string({ required: false, description: "MIME type; defaults to the file part's type, else application/octet-stream." }),
    file: t.field({
      type: 'File',
      required: true,
      description: 'The file part of the multipart request: at most MAX_INLINE_UPLOAD_BYTES (5 MB by default), else PAYLOAD_TOO_LARGE.',
    }),
  }),
});

const MirrorPayloadRef = builder.objectRef<{ artifact: ArtifactState }>('MirrorArtifactFilesPayload').implement({
  description: 'The result of mirrorArtifactFiles.',
  fields: (t) => ({
    artifact: t.field({ type: ArtifactInterface, description: 'The artifact with its mirrored files and final mirrorStatus.', resolve: (payload) => payload.artifact }),
  }),
});

builder.mutationFields((t) => ({
  mirrorArtifactFiles: t.field({
    type: MirrorPayloadRef,
    description:
      "Copies a Hugging Face model's or dataset's files (those matching `include`, all when empty) from the Hub into the registry's storage, streaming. Runs within the call; `mirrorStatus` shows progress meanwhile. " +
      'More than MAX_MIRROR_BYTES (20 GiB by default) or 1,000 files: PAYLOAD_TOO_LARGE; a Hub failure: UPSTREAM_UNAVAILABLE (files copied until then stay). Needs UPLOAD.',
    authScopes: { permission: 'UPLOAD' },
    args: {
      id: t.arg.id({ required: true, description: 'Global id of a Hugging Face model or dataset artifact.' }),
      include: t.arg.stringList({
        required: false,
        description: 'Path globs, at most 50: `*` within a directory, `**` across directories, `?` one character. A file is copied if any glob matches; all files when absent or empty.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const { scope, actor } = session(ctx);
      const ref = unwrap(parseArtifactRef(String(args.id), 'id'));
      const include = args.include ?? [];
      if (include.length > 50) throw toGraphQLError(appError('BAD_USER_INPUT', 'at most 50 include patterns', { field: 'include' }));
      return { artifact: unwrap(await scope.mirror.mirror(ref, include, actor)) };
    },
  }),
  createUploadUrl: t.field({
    type: UploadTicketRef,
    description:
      'Starts a direct-to-S3 upload: PUT the bytes to `url` with `headers`, then call completeUpload. Nothing is recorded until then. ' +
      'NOT_FOUND for an absent or deleted artifact; PAYLOAD_TOO_LARGE over the file, artifact or file-count limits. Needs UPLOAD.',
    authScopes: { permission: 'UPLOAD' },
    args: { input: t.arg({ type: CreateUploadUrlInput, required: true, description: 'The file: artifact, path, exact size and SHA-256.' }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, actor } = session(ctx);
      const artifact = unwrap(parseArtifactRef(String(input.artifactId), 'input.artifactId'));
      return unwrap(await scope.files.createUploadUrl({ ...input, artifactId: artifact.id, artifactType: artifact.type }, actor));
    },
  }),
  completeUpload: t.field({
    type: FilePayloadRef('CompleteUploadPayload', 'The result of completeUpload.'),
    description:
      'Verifies the uploaded bytes (size and SHA-256), stores them by content and adds the file to the artifact (FILE_ADDED in its history). ' +
      'Bytes that differ from the declaration are BAD_USER_INPUT (PAYLOAD_TOO_LARGE when over the limit) and are dropped; nothing PUT yet is BAD_USER_INPUT. Needs UPLOAD.',
    authScopes: { permission: 'UPLOAD' },
    args: { input: t.arg({ type: CompleteUploadInput, required: true, description: 'The upload to finish.' }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, actor } = session(ctx);
      return { file: unwrap(await scope.files.completeUpload(input.uploadId, actor)) };
    },
  }),
  uploadFile: t.field({
    type: FilePayloadRef('UploadFilePayload', 'The result of uploadFile.'),
    description:
      'Uploads a small file (MAX_INLINE_UPLOAD_BYTES, 5 MB by default; larger is PAYLOAD_TOO_LARGE) in a GraphQL multipart request, for clients that cannot reach S3. ' +
      'The request needs the x-graphql-yoga-csrf header. Needs UPLOAD.',
    authScopes: { permission: 'UPLOAD' },
    args: { input: t.arg({ type: UploadFileInput, required: true, description: 'The file part and where it goes.' }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, actor } = session(ctx);
      const artifact = unwrap(parseArtifactRef(String(input.artifactId), 'input.artifactId'));
      const limit = ctx.registry.fileLimits.maxInlineUploadBytes;
      if (input.file.size > limit) {
        throw toGraphQLError(appError('PAYLOAD_TOO_LARGE', `inline uploads are limited to ${limit} bytes; use createUploadUrl`, { limit, size: input.file.size }));
      }
      const bytes = new Uint8Array(await input.file.arrayBuffer());
      const contentType = input.contentType ?? (input.file.type || null);
      return { file: unwrap(await scope.files.uploadInline({ artifactId: artifact.id, artifactType: artifact.type, path: input.path, contentType, bytes }, actor)) };
    },
  }),
}));
