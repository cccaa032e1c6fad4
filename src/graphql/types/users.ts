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

export const PermissionEnum = builder.enumType('Permission', { values: PERMISSIONS });

const UserRef = builder.objectRef<UserView>('User').implement({
  fields: (t) => ({
    username: t.exposeString('username'),
    permissions: t.field({ type: [PermissionEnum], resolve: (user) => [...user.permissions] }),
    createdAt: t.field({ type: 'DateTime', resolve: (user) => user.createdAt }),
  }),
});

const UserConnection = builder.connectionObject({ type: UserRef, name: 'UserConnection' }, { name: 'UserEdge' });

const ViewerRef = builder.objectRef<{ user: UserView; remainingCalls: number; tokenExpiresAt: string }>('Viewer').implement({
  description: 'The caller, as its token identifies it.',
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (viewer) => viewer.user }),
    remainingCalls: t.exposeInt('remainingCalls', { description: 'Calls this token has left after this one.' }),
    tokenExpiresAt: t.field({ type: 'DateTime', resolve: (viewer) => viewer.tokenExpiresAt }),
  }),
});

const AuthenticatePayload = builder.objectRef<IssuedAccess>('AuthenticatePayload').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'Send as `Authorization: Bearer <token>`.' }),
    expiresAt: t.field({ type: 'DateTime', resolve: (access) => access.expiresAt }),
    remainingCalls: t.exposeInt('remainingCalls'),
  }),
});

const userPayload = (name: string) =>
  builder.objectRef<{ user: UserView }>(name).implement({ fields: (t) => ({ user: t.field({ type: UserRef, resolve: (p) => p.user }) }) });

const RegisterUserInput = builder.inputType('RegisterUserInput', {
  fields: (t) => ({
    username: t.string({ required: true }),
    password: t.string({ required: true }),
    permissions: t.field({ type: [PermissionEnum], required: true }),
  }),
});

const SetPermissionsInput = builder.inputType('SetPermissionsInput', {
  fields: (t) => ({
    username: t.string({ required: true }),
    permissions: t.field({ type: [PermissionEnum], required: true }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: ViewerRef,
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
    description: 'Every user, by username. Admins only.',
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
      'Exchanges a username and password for a token (10 hours or 1,000 calls). Open to everyone; too many logins from one address, too many at once, or repeated wrong passwords for this username from this address answer RATE_LIMITED with extensions.retryAfterSeconds.',
    args: { username: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => unwrap(await ctx.registry.authentication.authenticate(args.username, args.password, ctx.clientAddress)),
  }),
  registerUser: t.field({
    type: userPayload('RegisterUserPayload'),
    authScopes: { permission: 'ADMIN' },
    args: { input: t.arg({ type: RegisterUserInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, viewer } = session(ctx);
      return { user: unwrap(await ctx.registry.userCommands.registerUser(scope.epoch, viewer, input)) };
    },
  }),
  setPermissions: t.field({
    type: userPayload('SetPermissionsPayload'),
    authScopes: { permission: 'ADMIN' },
    args: { input: t.arg({ type: SetPermissionsInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, viewer } = session(ctx);
      return { user: unwrap(await ctx.registry.userCommands.setPermissions(scope.epoch, viewer, input)) };
    },
  }),
  deleteUser: t.field({
    type: builder.objectRef<{ deletedUsername: Username }>('DeleteUserPayload').implement({
      fields: (f) => ({ deletedUsername: f.exposeString('deletedUsername') }),
    }),
    description: 'Users may delete themselves; admins may delete anyone but the last admin.',
    authScopes: { authenticated: true },
    args: { username: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const { scope, viewer } = session(ctx);
      return { deletedUsername: unwrap(await ctx.registry.userCommands.deleteUser(scope.epoch, viewer, args.username)) };
    },
  }),
  resetRegistry: t.field({
    type: builder.objectRef<{ epoch: number }>('ResetRegistryPayload').implement({
      fields: (f) => ({ ok: f.boolean({ resolve: () => true }) }),
    }),
    description: 'Removes every artifact, file, user and token, then recreates the default administrator. Admins only. The default administrator\'s token that resets keeps working.',
    authScopes: { permission: 'ADMIN' },
    resolve: async (_root, _args, ctx) => {
      const { token } = session(ctx);
      return ctx.registry.reset({ keepToken: token });
    },
  }),
}));
