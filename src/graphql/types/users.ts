import { PERMISSIONS } from '../../domain/users/permission.js';
import type { Username } from '../../domain/users/username.js';
import type { IssuedAccess } from '../../application/users/authentication.js';
import type { UserView } from '../../application/users/user-commands.js';
import { pageSize } from '../../application/artifact-queries.js';
import { builder } from '../builder.js';
import { toGraphQLError, unwrap } from '../errors.js';
import { appError } from '../../domain/result.js';
import { session } from '../session.js';
import { forwardConnectionArgs, forwardPageInfo, parseUsersCursor, usersCursor } from '../connection-args.js';

const PERMISSION_DESCRIPTIONS = {
  UPLOAD: 'Register, change, rate and alias artifacts, and add their files (ingestArtifact, updateArtifact, rateModel, setAlias, uploads, mirrors).',
  SEARCH: "Read artifacts: artifact, artifactByUrl, artifacts, searchArtifacts, node, history, artifactByAlias, and any artifact's fields but id, type and version.",
  DOWNLOAD: 'Get download URLs of files and artifacts (downloadUrl).',
  ADMIN: "Manage users (users, registerUser, setPermissions, deleting others), delete artifacts, reset the registry, and see who downloaded. Implies no other permission.",
} as const satisfies Record<(typeof PERMISSIONS)[number], string>;

export const PermissionEnum = builder.enumType('Permission', {
  description: 'What a user may do. Each field and mutation names the one it needs.',
  values: Object.fromEntries(PERMISSIONS.map((permission) => [permission, { description: PERMISSION_DESCRIPTIONS[permission] }])) as Record<
    (typeof PERMISSIONS)[number],
    { description: string }
  >,
});

const UserRef = builder.objectRef<UserView>('User').implement({
  description: 'A registered user.',
  fields: (t) => ({
    username: t.exposeString('username', { description: 'The name the user logs in with; case-sensitive, unique.' }),
    permissions: t.field({ type: [PermissionEnum], description: 'What the user may do, in the order UPLOAD, SEARCH, DOWNLOAD, ADMIN.', resolve: (user) => [...user.permissions] }),
    createdAt: t.field({ type: 'DateTime', description: 'When the user was registered.', resolve: (user) => user.createdAt }),
  }),
});

const UserConnection = builder.connectionObject(
  { type: UserRef, name: 'UserConnection', description: 'A page of users, by username.' },
  { name: 'UserEdge', description: 'One user, with its cursor.' },
);

const ViewerRef = builder.objectRef<{ user: UserView; remainingCalls: number; tokenExpiresAt: string }>('Viewer').implement({
  description: 'The caller, as its token identifies it.',
  fields: (t) => ({
    user: t.field({ type: UserRef, description: "The token's user, with its current permissions.", resolve: (viewer) => viewer.user }),
    remainingCalls: t.exposeInt('remainingCalls', { description: 'Calls this token has left after this one (1,000 at login).' }),
    tokenExpiresAt: t.field({ type: 'DateTime', description: 'When the token stops working (10 hours after login), whatever calls it has left.', resolve: (viewer) => viewer.tokenExpiresAt }),
  }),
});

const AuthenticatePayload = builder.objectRef<IssuedAccess>('AuthenticatePayload').implement({
  description: 'A new token for the user who logged in.',
  fields: (t) => ({
    token: t.exposeString('token', { description: 'Send as `Authorization: Bearer <token>` (or `X-Authorization: bearer <token>`). Keep it secret: it acts as the user.' }),
    expiresAt: t.field({ type: 'DateTime', description: 'When the token stops working: 10 hours after login.', resolve: (access) => access.expiresAt }),
    remainingCalls: t.exposeInt('remainingCalls', { description: 'Calls the token may make: 1,000. Every request with it spends one.' }),
  }),
});

const userPayload = (name: string, description: string) =>
  builder.objectRef<{ user: UserView }>(name).implement({
    description,
    fields: (t) => ({ user: t.field({ type: UserRef, description: 'The user as it is now.', resolve: (p) => p.user }) }),
  });

const RegisterUserInput = builder.inputType('RegisterUserInput', {
  description: 'A new user and what it may do.',
  fields: (t) => ({
    username: t.string({ required: true, description: 'Username: 1 to 64 characters of letters, digits, `_`, `.`, `@` and `-`, starting with a letter or digit; case-sensitive. Otherwise BAD_USER_INPUT. Taken by a live user: CONFLICT.' }),
    password: t.string({ required: true, description: '8 to 1,024 characters (else BAD_USER_INPUT); stored only as a salted scrypt hash.' }),
    permissions: t.field({ type: [PermissionEnum], required: true, description: 'What the user may do; may be empty. Duplicates count once.' }),
  }),
});

const SetPermissionsInput = builder.inputType('SetPermissionsInput', {
  description: "A user and the full set of permissions it should have.",
  fields: (t) => ({
    username: t.string({ required: true, description: 'An existing user (else NOT_FOUND).' }),
    permissions: t.field({
      type: [PermissionEnum],
      required: true,
      description: 'The new permissions, replacing the old ones (not added to them). Taking ADMIN from the last administrator is a CONFLICT.',
    }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: ViewerRef,
    description: 'The caller: its user and what its token has left. Needs any valid token.',
    authScopes: { authenticated: true },
    resolve: async (_root, _args, ctx) => {
      const { viewer, scope } = session(ctx);
      const user = await ctx.registry.userCommands.getUser(scope.epoch, viewer.username);
      // Another process deleted the user less than a second ago (RecentUsers): the token is as good as gone.
      if (!user) throw toGraphQLError(appError('UNAUTHENTICATED', 'token is invalid, expired or used up; authenticate again'));
      return {
        user,
        remainingCalls: viewer.remainingCalls,
        tokenExpiresAt: viewer.expiresAt,
      };
    },
  }),
  users: t.field({
    type: UserConnection,
    description: 'Every user, by username. Needs ADMIN.',
    authScopes: { permission: 'ADMIN' },
    args: forwardConnectionArgs(t.arg),
    resolve: async (_root, args, ctx) => {
      const { scope } = session(ctx);
      const first = unwrap(pageSize(args.first));
      const after = unwrap(parseUsersCursor(args.after));
      const page = await ctx.registry.userCommands.listUsers(scope.epoch, first, after);
      const edges = page.users.map((user) => ({ node: user, cursor: usersCursor(user.username) }));
      return { edges, pageInfo: forwardPageInfo(edges, page.hasNextPage, args.after) };
    },
  }),
}));

builder.mutationFields((t) => ({
  authenticate: t.field({
    type: AuthenticatePayload,
    description:
      'Exchanges a username and password for a token (10 hours or 1,000 calls). Open to everyone. A wrong password and an unknown user are both UNAUTHENTICATED. ' +
      'Too many logins from one address (a burst of 20, then 60 a minute), too many at once, or repeated wrong passwords for this username from this address (SECURITY.md, "Lockout policy") answer RATE_LIMITED with extensions.retryAfterSeconds.',
    args: {
      username: t.arg.string({ required: true, description: 'The username, case-sensitive.' }),
      password: t.arg.string({ required: true, description: 'The password. Send it as a variable, so quotes and backslashes need no escaping.' }),
    },
    resolve: async (_root, args, ctx) => unwrap(await ctx.registry.authentication.authenticate(args.username, args.password, ctx.clientAddress)),
  }),
  registerUser: t.field({
    type: userPayload('RegisterUserPayload', 'The result of registerUser.'),
    description: 'Creates a user with a password and permissions; it logs in with authenticate. Needs ADMIN.',
    authScopes: { permission: 'ADMIN' },
    args: { input: t.arg({ type: RegisterUserInput, required: true, description: 'The new user.' }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, viewer } = session(ctx);
      return { user: unwrap(await ctx.registry.userCommands.registerUser(scope.epoch, viewer, input)) };
    },
  }),
  setPermissions: t.field({
    type: userPayload('SetPermissionsPayload', 'The result of setPermissions.'),
    description:
      "Replaces a user's permissions. Takes effect at once on this server and within a second on others, for the user's existing tokens too. Needs ADMIN.",
    authScopes: { permission: 'ADMIN' },
    args: { input: t.arg({ type: SetPermissionsInput, required: true, description: 'The user and its new permissions.' }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, viewer } = session(ctx);
      return { user: unwrap(await ctx.registry.userCommands.setPermissions(scope.epoch, viewer, input)) };
    },
  }),
  deleteUser: t.field({
    type: builder.objectRef<{ deletedUsername: Username }>('DeleteUserPayload').implement({
      description: 'The result of deleteUser.',
      fields: (f) => ({ deletedUsername: f.exposeString('deletedUsername', { description: 'The user deleted; its tokens no longer work.' }) }),
    }),
    description:
      'Deletes a user and ends its tokens. Any valid token may delete its own user; deleting another needs ADMIN (else FORBIDDEN). The last administrator cannot be deleted (CONFLICT). NOT_FOUND for no such user.',
    authScopes: { authenticated: true },
    args: { username: t.arg.string({ required: true, description: 'The user to delete (yourself, or anyone as an admin).' }) },
    resolve: async (_root, args, ctx) => {
      const { scope, viewer } = session(ctx);
      return { deletedUsername: unwrap(await ctx.registry.userCommands.deleteUser(scope.epoch, viewer, args.username)) };
    },
  }),
  resetRegistry: t.field({
    type: builder.objectRef<{ epoch: number }>('ResetRegistryPayload').implement({
      description: 'The result of resetRegistry.',
      fields: (f) => ({ ok: f.boolean({ description: 'Always true: the registry is empty (errors are GraphQL errors, never false).', resolve: () => true }) }),
    }),
    description:
      'Removes every artifact, file, user and token, then recreates the default administrator. Needs ADMIN. Requests see the old registry or the empty one, never a half-deleted one. ' +
      'The default administrator\'s token that resets keeps working; every other token stops.',
    authScopes: { permission: 'ADMIN' },
    resolve: async (_root, _args, ctx) => {
      const { token } = session(ctx);
      return ctx.registry.reset({ keepToken: token });
    },
  }),
}));
