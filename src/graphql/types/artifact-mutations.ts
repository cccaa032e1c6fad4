import type { ArtifactState } from '../../domain/artifact-state.js';
import { builder } from '../builder.js';
import { unwrap } from '../errors.js';
import { parseArtifactRef } from '../global-id.js';
import { ArtifactInterface, ArtifactTypeEnum } from './artifact.js';
import { session } from '../session.js';

const artifactPayload = (name: string) =>
  builder.objectRef<{ artifact: ArtifactState }>(name).implement({
    fields: (t) => ({ artifact: t.field({ type: ArtifactInterface, resolve: (payload) => payload.artifact }) }),
  });

const IngestArtifactInput = builder.inputType('IngestArtifactInput', {
  fields: (t) => ({
    type: t.field({ type: ArtifactTypeEnum, required: true }),
    url: t.string({ required: true, description: 'Hugging Face model or dataset, GitHub repository, or any http(s) URL.' }),
    name: t.string({ required: false, description: 'Defaults to the repository name taken from the URL. `*` is reserved.' }),
  }),
});

const UpdateArtifactInput = builder.inputType('UpdateArtifactInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    expectedVersion: t.int({ required: true, description: 'The version you read; a stale one is a CONFLICT.' }),
    name: t.string({ required: false }),
    url: t.string({ required: false }),
  }),
});

const DeleteArtifactInput = builder.inputType('DeleteArtifactInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    expectedVersion: t.int({ required: true }),
  }),
});

const DeleteArtifactPayload = builder.objectRef<{ deletedId: string }>('DeleteArtifactPayload').implement({
  fields: (t) => ({ deletedId: t.exposeID('deletedId') }),
});

builder.mutationFields((t) => ({
  ingestArtifact: t.field({
    type: artifactPayload('IngestArtifactPayload'),
    description:
      'Registers an artifact by URL, reading its source (Hub, GitHub). Models are rated and must pass the ingest gate ' +
      '(DISQUALIFIED carries the rating). A URL that is already live is a CONFLICT naming the existing id.',
    authScopes: { permission: 'UPLOAD' },
    args: { input: t.arg({ type: IngestArtifactInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, actor } = session(ctx);
      return { artifact: unwrap(await scope.commands.ingest(input, actor)) };
    },
  }),
  updateArtifact: t.field({
    type: artifactPayload('UpdateArtifactPayload'),
    description:
      'Renames or re-points an artifact, if it is still at expectedVersion. A new URL is read like an ingest: a model is ' +
      'rated and must pass the ingest gate (DISQUALIFIED carries the rating and changes nothing), and the change records ' +
      'the new rating and source metadata.',
    authScopes: { permission: 'UPLOAD' },
    args: { input: t.arg({ type: UpdateArtifactInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, actor } = session(ctx);
      const { id, type } = unwrap(parseArtifactRef(String(input.id), 'input.id'));
      return { artifact: unwrap(await scope.commands.update({ ...input, id, type }, actor)) };
    },
  }),
  rateModel: t.field({
    type: artifactPayload('RateModelPayload'),
    description: 'Re-rates a model from fresh Hub and GitHub evidence and stores the new rating as an event.',
    authScopes: { permission: 'UPLOAD' },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const { scope, actor } = session(ctx);
      return { artifact: unwrap(await scope.commands.rate(unwrap(parseArtifactRef(String(args.id))), actor)) };
    },
  }),
  deleteArtifact: t.field({
    type: DeleteArtifactPayload,
    description: 'Deletes an artifact, if it is still at expectedVersion. Its history stays. Admins only.',
    authScopes: { permission: 'ADMIN' },
    args: { input: t.arg({ type: DeleteArtifactInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, actor } = session(ctx);
      const { id, type } = unwrap(parseArtifactRef(String(input.id), 'input.id'));
      unwrap(await scope.files.deleteArtifact({ id, type, expectedVersion: input.expectedVersion }, actor));
      return { deletedId: String(input.id) };
    },
  }),
}));
