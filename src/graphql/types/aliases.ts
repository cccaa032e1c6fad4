import type { ArtifactState } from '../../domain/artifact-state.js';
import { artifactGlobalId } from '../../domain/global-id.js';
import { builder } from '../builder.js';
import { unwrap } from '../errors.js';
import { parseArtifactRef } from '../global-id.js';
import { session } from '../session.js';
import { ArtifactInterface } from './artifact.js';

const ALIAS_NAME = 'The artifact name the alias belongs to, compared normalized ("BERT base" = "bert-base"); not empty.';
const ALIAS_LABEL = "The alias, e.g. `production`: 1 to 63 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit; otherwise BAD_USER_INPUT.";

const SetAliasInput = builder.inputType('SetAliasInput', {
  description: 'Which alias of which name, and the artifact it should point at.',
  fields: (t) => ({
    name: t.string({ required: true, description: ALIAS_NAME }),
    alias: t.string({ required: true, description: ALIAS_LABEL }),
    artifactId: t.id({
      required: true,
      description: "Global id of a live artifact bearing that name (else BAD_USER_INPUT), not a model the gate refused or whose stored rating fails it (DISQUALIFIED).",
    }),
  }),
});

const RemoveAliasInput = builder.inputType('RemoveAliasInput', {
  description: 'Which alias of which name to unset.',
  fields: (t) => ({
    name: t.string({ required: true, description: ALIAS_NAME }),
    alias: t.string({ required: true, description: ALIAS_LABEL }),
  }),
});

const SetAliasPayload = builder.objectRef<{ artifact: ArtifactState; moved: boolean }>('SetAliasPayload').implement({
  description: 'The result of setAlias.',
  fields: (t) => ({
    artifact: t.field({ type: ArtifactInterface, description: 'The artifact the alias names now.', resolve: (payload) => payload.artifact }),
    moved: t.exposeBoolean('moved', { description: 'False when the alias named this artifact already (nothing was recorded).' }),
  }),
});

const RemoveAliasPayload = builder.objectRef<{ removedFrom: string }>('RemoveAliasPayload').implement({
  description: 'The result of removeAlias.',
  fields: (t) => ({ removedFrom: t.exposeID('removedFrom', { description: 'The artifact the alias named until now.' }) }),
});

builder.mutationFields((t) => ({
  setAlias: t.field({
    type: SetAliasPayload,
    description:
      'Points an alias of a name (e.g. `production` of `bert-base`) at one artifact of that name. Each move is recorded (who, from, to) ' +
      'in the history of the artifacts it concerns (ALIAS_MOVED). NOT_FOUND for an absent or deleted artifact, DISQUALIFIED for a model the gate refused, whose rating no longer passes it, or that holds no rating (registered from a source the registry cannot rate, before every model had to pass). ' +
      'CONFLICT when other requests keep moving the same alias. Needs UPLOAD.',
    authScopes: { permission: 'UPLOAD' },
    args: { input: t.arg({ type: SetAliasInput, required: true, description: 'The alias and its new target.' }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, actor } = session(ctx);
      const artifact = unwrap(parseArtifactRef(String(input.artifactId), 'artifactId'));
      const set = unwrap(await scope.aliases.set({ name: input.name, alias: input.alias, artifactId: artifact.id, artifactType: artifact.type }, actor));
      return { artifact: set.target, moved: set.move !== undefined };
    },
  }),
  removeAlias: t.field({
    type: RemoveAliasPayload,
    description: 'Unsets an alias (recorded like a move, ALIAS_MOVED in the history of the artifact it named); NOT_FOUND when it names nothing. Needs UPLOAD.',
    authScopes: { permission: 'UPLOAD' },
    args: { input: t.arg({ type: RemoveAliasInput, required: true, description: 'The alias to unset.' }) },
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
    description: 'The artifact an alias of a name points at; null when the alias is unset or its artifact was deleted since. Needs SEARCH.',
    authScopes: { permission: 'SEARCH' },
    args: { name: t.arg.string({ required: true, description: ALIAS_NAME }), alias: t.arg.string({ required: true, description: ALIAS_LABEL }) },
    resolve: async (_root, args, ctx) => {
      const { scope, queries } = session(ctx);
      const id = unwrap(await scope.aliases.target(args.name, args.alias));
      return id === undefined ? null : ((await queries.get(id)) ?? null);
    },
  }),
}));
