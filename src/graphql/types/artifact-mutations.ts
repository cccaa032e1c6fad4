import type { ArtifactState } from '../../domain/artifact-state.js';
import { builder } from '../builder.js';
import { unwrap } from '../errors.js';
import { parseArtifactRef } from '../global-id.js';
import { ArtifactInterface, ArtifactTypeEnum } from './artifact.js';
import { session } from '../session.js';

const artifactPayload = (name: string, description: string, artifactDescription: string) =>
  builder.objectRef<{ artifact: ArtifactState }>(name).implement({
    description,
    fields: (t) => ({ artifact: t.field({ type: ArtifactInterface, description: artifactDescription, resolve: (payload) => payload.artifact }) }),
  });

const NEW_NAME = 'Stored verbatim: case-sensitive, 1 to 256 characters, no invisible or control characters; `*` (and anything that shows as it) is reserved. Invalid: BAD_USER_INPUT.';

const IngestArtifactInput = builder.inputType('IngestArtifactInput', {
  description: 'What to register: a type and a URL, and optionally a name.',
  fields: (t) => ({
    type: t.field({
      type: ArtifactTypeEnum,
      required: true,
      description: 'What the URL holds. It must fit the host: a Hub model URL is a MODEL, a Hub dataset URL a DATASET; otherwise BAD_USER_INPUT.',
    }),
    url: t.string({
      required: true,
      description:
        'https://huggingface.co/<org>/<model>, https://huggingface.co/datasets/<id>, https://github.com/<owner>/<repo>, or any other http(s) URL (registered from the URL alone). ' +
        'At most 2,048 characters; normalized before it is stored.',
    }),
    name: t.string({ required: false, description: `Defaults to the repository name taken from the URL. ${NEW_NAME}` }),
  }),
});

const UpdateArtifactInput = builder.inputType('UpdateArtifactInput', {
  description: 'A rename and/or a new URL for one artifact, guarded by the version the client read. Give at least one of name and url.',
  fields: (t) => ({
    id: t.id({ required: true, description: "The artifact's global id." }),
    expectedVersion: t.int({ required: true, description: "The artifact's `version` as you read it; a stale one is a CONFLICT with `extensions.currentVersion`." }),
    name: t.string({ required: false, description: `The new name (absent: unchanged). ${NEW_NAME}` }),
    url: t.string({
      required: false,
      description: "The new URL (absent: unchanged), of the same kind of source as the artifact's type. A URL live on another artifact is a CONFLICT naming it.",
    }),
  }),
});

const DeleteArtifactInput = builder.inputType('DeleteArtifactInput', {
  description: 'The artifact to delete, guarded by the version the client read.',
  fields: (t) => ({
    id: t.id({ required: true, description: "The artifact's global id." }),
    expectedVersion: t.int({ required: true, description: "The artifact's `version` as you read it; a stale one is a CONFLICT with `extensions.currentVersion`." }),
  }),
});

const DeleteArtifactPayload = builder.objectRef<{ deletedId: string }>('DeleteArtifactPayload').implement({
  description: 'What deleteArtifact removed.',
  fields: (t) => ({ deletedId: t.exposeID('deletedId', { description: 'The global id of the deleted artifact; it no longer answers any query but its history.' }) }),
});

builder.mutationFields((t) => ({
  ingestArtifact: t.field({
    type: artifactPayload('IngestArtifactPayload', 'The result of ingestArtifact.', 'The registered artifact, with its source metadata and, for a Hub model, its rating.'),
    description:
      'Registers an artifact by URL, reading its source (Hub, GitHub). Models are rated and must pass the ingest gate ' +
      '(DISQUALIFIED carries the rating). A URL that is already live is a CONFLICT naming the existing id (`extensions.existingId`). ' +
      'A source the Hub or GitHub does not have is BAD_USER_INPUT; one that fails or times out is UPSTREAM_UNAVAILABLE, and nothing is written. Needs UPLOAD.',
    authScopes: { permission: 'UPLOAD' },
    args: { input: t.arg({ type: IngestArtifactInput, required: true, description: 'What to register.' }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, actor } = session(ctx);
      return { artifact: unwrap(await scope.commands.ingest(input, actor)) };
    },
  }),
  updateArtifact: t.field({
    type: artifactPayload('UpdateArtifactPayload', 'The result of updateArtifact.', 'The artifact after the change (unchanged, at the same version, when the input changes nothing).'),
    description:
      'Renames or re-points an artifact, if it is still at expectedVersion. A new URL is read like an ingest: a model is ' +
      'rated and must pass the ingest gate (DISQUALIFIED carries the rating and changes nothing), and the change records ' +
      'the new rating and source metadata. NOT_FOUND for an absent or deleted artifact. Needs UPLOAD.',
    authScopes: { permission: 'UPLOAD' },
    args: { input: t.arg({ type: UpdateArtifactInput, required: true, description: 'The artifact, the version you read, and what changes.' }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, actor } = session(ctx);
      const { id, type } = unwrap(parseArtifactRef(String(input.id), 'input.id'));
      return { artifact: unwrap(await scope.commands.update({ ...input, id, type }, actor)) };
    },
  }),
  rateModel: t.field({
    type: artifactPayload('RateModelPayload', 'The result of rateModel.', 'The model with its new rating.'),
    description:
      'Re-rates a model from fresh Hub and GitHub evidence and stores the new rating as an event (RATED in its history). The gate is not applied again. ' +
      'BAD_USER_INPUT for a dataset, code, or a model not on the Hub; NOT_FOUND for an absent or deleted one; UPSTREAM_UNAVAILABLE when the Hub or GitHub fails. Needs UPLOAD.',
    authScopes: { permission: 'UPLOAD' },
    args: { id: t.arg.id({ required: true, description: "The model's global id." }) },
    resolve: async (_root, args, ctx) => {
      const { scope, actor } = session(ctx);
      return { artifact: unwrap(await scope.commands.rate(unwrap(parseArtifactRef(String(args.id))), actor)) };
    },
  }),
  deleteArtifact: t.field({
    type: DeleteArtifactPayload,
    description:
      'Deletes an artifact, if it is still at expectedVersion: it disappears from every query, its URL is free to register again, and its files are removed ' +
      'unless another artifact holds the same content. Its history stays (artifact(id, asOf) before the deletion). NOT_FOUND when absent or already deleted. Needs ADMIN.',
    authScopes: { permission: 'ADMIN' },
    args: { input: t.arg({ type: DeleteArtifactInput, required: true, description: 'The artifact and the version you read.' }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, actor } = session(ctx);
      const { id, type } = unwrap(parseArtifactRef(String(input.id), 'input.id'));
      unwrap(await scope.files.deleteArtifact({ id, type, expectedVersion: input.expectedVersion }, actor));
      return { deletedId: String(input.id) };
    },
  }),
}));
