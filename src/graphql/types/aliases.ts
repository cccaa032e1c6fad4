import type { ArtifactState } from '../../domain/artifact-state.js';
import { artifactGlobalId } from '../../domain/global-id.js';
import { builder } from '../builder.js';
import { unwrap } from '../errors.js';
import { parseArtifactRef } from '../global-id.js';
import { session } from '../session.js';
import { ArtifactInterface } from './artifact.js';

const SetAliasInput = builder.inputType('SetAliasInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'The artifact name the alias belongs to (compared normalized: "BERT base" = "bert-base").' }),
    alias: t.string({ required: true, description: "e.g. `production`: 1 to 63 of a-z, 0-9, '.', '_', '-'." }),
    artifactId: t.id({ required: true, description: 'A live artifact of that name, not DISQUALIFIED.' }),
  }),
});

const RemoveAliasInput = builder.inputType('RemoveAliasInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    alias: t.string({ required: true }),
  }),
});

const SetAliasPayload = builder.objectRef<{ artifact: ArtifactState; moved: boolean }>('SetAliasPayload').implement({
  fields: (t) => ({
    artifact: t.field({ type: ArtifactInterface, description: 'The artifact the alias names now.', resolve: (payload) => payload.artifact }),
    moved: t.exposeBoolean('moved', { description: 'False when the alias named this artifact already (nothing was recorded).' }),
  }),
});

const RemoveAliasPayload = builder.objectRef<{ removedFrom: string }>('RemoveAliasPayload').implement({
  fields: (t) => ({ removedFrom: t.exposeID('removedFrom', { description: 'The artifact the alias named until now.' }) }),
});

builder.mutationFields((t) => ({
  setAlias: t.field({
    type: SetAliasPayload,
    description:
      'Points an alias of a name (e.g. `production` of `bert-base`) at one artifact of that name. Each move is recorded (who, from, to) ' +
      'in the history of the artifacts it concerns. NOT_FOUND for an absent or deleted artifact, DISQUALIFIED for a model the gate refused or whose rating no longer passes it.',
    authScopes: { permission: 'UPLOAD' },
    args: { input: t.arg({ type: SetAliasInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, actor } = session(ctx);
      const artifact = unwrap(parseArtifactRef(String(input.artifactId), 'artifactId'));
      const set = unwrap(await scope.aliases.set({ name: input.name, alias: input.alias, artifactId: artifact.id, artifactType: artifact.type }, actor));
      return { artifact: set.target, moved: set.move !== undefined };
    },
  }),
  removeAlias: t.field({
    type: RemoveAliasPayload,
    description: 'Unsets an alias (recorded like a move); NOT_FOUND when it names nothing.',
    authScopes: { permission: 'UPLOAD' },
    args: { input: t.arg({ type: RemoveAliasInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, actor } = session(ctx);
      const move = unwrap(await scope.aliases.remove(input.name, input.alias, actor));
      return { removedFrom: artifactGlobalId(move.from!) };
    },
  }),
}));

builder.queryFields((t) => ({
  artifactByAlias: t.field({
    type: ArtifactInterface,
    nullable: true,
    description: 'The artifact an alias of a name points at; null when the alias is unset or its artifact was deleted since.',
    authScopes: { permission: 'SEARCH' },
    args: { name: t.arg.string({ required: true }), alias: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const { scope, queries } = session(ctx);
      const id = unwrap(await scope.aliases.target(args.name, args.alias));
      return id === undefined ? null : ((await queries.get(id)) ?? null);
    },
  }),
}));
