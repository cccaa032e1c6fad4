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
    size: t.field({ type: 'Bytes', description: 'Bytes.', resolve: (file) => file.size }),
    sha256: t.exposeString('sha256', { description: 'Lower-case hex SHA-256 of the content.' }),
    contentType: t.exposeString('contentType'),
    downloadUrl: t.string({
      nullable: true,
      description:
        'A presigned GET URL for the bytes, valid for a few minutes (DOWNLOAD_URL_TTL_SECONDS). Each URL issued is recorded as a download in the history; the artifact\'s version does not change. NOT_FOUND when the artifact no longer holds this content at this path.',
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
    description: 'Stored files, ordered by path.',
    resolve: (artifact: ArtifactState) =>
      [...artifact.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((file) => ({ ...file, artifactId: artifact.id })),
  }),
  storedBytes: t.field({
    type: 'Bytes',
    description: 'Bytes this artifact stores: the sum over its distinct file contents.',
    resolve: (artifact: ArtifactState) => storedBytes(artifact.files),
  }),
  mirrorStatus: t.field({ type: MirrorStatusRef, nullable: true, resolve: (artifact: ArtifactState) => artifact.mirrorStatus }),
  downloadUrl: t.string({
    nullable: true,
    description:
      'A presigned GET URL of a zip of all files (built on first request, cached by content), valid for a few minutes. Recorded as a download in the history (the version does not change). NOT_FOUND when the artifact has no files.',
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
  fields: (t) => ({
    artifactId: t.id({ required: true }),
    path: t.string({ required: true, description: 'Relative path; no `..`, `.` or empty segments, no leading `/`.' }),
    size: t.field({ type: 'Bytes', required: true, description: 'Exact byte count of the file.' }),
    sha256: t.string({ required: true, description: 'Hex SHA-256 of the file.' }),
    contentType: t.string({ required: false, description: 'MIME type; application/octet-stream when absent.' }),
  }),
});

const HttpHeaderRef = builder.objectRef<{ name: string; value: string }>('HttpHeader').implement({
  fields: (t) => ({ name: t.exposeString('name'), value: t.exposeString('value') }),
});

const UploadTicketRef = builder
  .objectRef<{ uploadId: string; url: string; headers: readonly { name: string; value: string }[]; expiresAt: string }>('CreateUploadUrlPayload')
  .implement({
    fields: (t) => ({
      uploadId: t.exposeString('uploadId', { description: 'Pass it to completeUpload after the PUT succeeded.' }),
      url: t.exposeString('url', { description: 'Presigned PUT URL of a staging object.' }),
      headers: t.field({ type: [HttpHeaderRef], description: 'Headers the PUT must send, exactly as given (they are signed).', resolve: (p) => p.headers }),
      expiresAt: t.field({ type: 'DateTime', resolve: (p) => p.expiresAt }),
    }),
  });

const FilePayloadRef = (name: string) =>
  builder.objectRef<{ file: HeldFile }>(name).implement({
    fields: (t) => ({ file: t.field({ type: ArtifactFileRef, resolve: (p) => p.file }) }),
  });

const CompleteUploadInput = builder.inputType('CompleteUploadInput', {
  fields: (t) => ({ uploadId: t.string({ required: true }) }),
});

const UploadFileInput = builder.inputType('UploadFileInput', {
  fields: (t) => ({
    artifactId: t.id({ required: true }),
    path: t.string({ required: true }),
    contentType: t.string({ required: false, description: "Defaults to the file part's type, else application/octet-stream." }),
    file: t.field({ type: 'File', required: true }),
  }),
});

const MirrorPayloadRef = builder.objectRef<{ artifact: ArtifactState }>('MirrorArtifactFilesPayload').implement({
  fields: (t) => ({ artifact: t.field({ type: ArtifactInterface, resolve: (payload) => payload.artifact }) }),
});

builder.mutationFields((t) => ({
  mirrorArtifactFiles: t.field({
    type: MirrorPayloadRef,
    description:
      "Copies a Hugging Face model's or dataset's files (those matching `include`, all when empty) from the Hub into the registry's storage, streaming. Runs within the call; `mirrorStatus` shows progress meanwhile. Capped by MAX_MIRROR_BYTES.",
    authScopes: { permission: 'UPLOAD' },
    args: {
      id: t.arg.id({ required: true }),
      include: t.arg.stringList({ required: false, description: 'Path globs: `*` within a directory, `**` across directories, `?` one character.' }),
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
    description: 'Starts a direct-to-S3 upload: PUT the bytes to `url` with `headers`, then call completeUpload.',
    authScopes: { permission: 'UPLOAD' },
    args: { input: t.arg({ type: CreateUploadUrlInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, actor } = session(ctx);
      const artifact = unwrap(parseArtifactRef(String(input.artifactId), 'input.artifactId'));
      return unwrap(await scope.files.createUploadUrl({ ...input, artifactId: artifact.id, artifactType: artifact.type }, actor));
    },
  }),
  completeUpload: t.field({
    type: FilePayloadRef('CompleteUploadPayload'),
    description: 'Verifies the uploaded bytes (size and SHA-256), stores them by content and adds the file to the artifact.',
    authScopes: { permission: 'UPLOAD' },
    args: { input: t.arg({ type: CompleteUploadInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, actor } = session(ctx);
      return { file: unwrap(await scope.files.completeUpload(input.uploadId, actor)) };
    },
  }),
  uploadFile: t.field({
    type: FilePayloadRef('UploadFilePayload'),
    description: 'Uploads a small file (MAX_INLINE_UPLOAD_BYTES, 5 MB by default) in a GraphQL multipart request, for clients that cannot reach S3.',
    authScopes: { permission: 'UPLOAD' },
    args: { input: t.arg({ type: UploadFileInput, required: true }) },
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
