import { useEffect, useRef, useState } from 'react';
import { Button, Checkbox, CheckboxGroup, Form, Input, Label, Text, TextField } from 'react-aria-components';
import { graphql } from '../graphql';
import { describeErrors, request } from '../api';
import { useQuery } from '../use-query';
import { clearSession, loadSession } from '../session';
import { hrefOf, navigate } from '../router';
import { Layout } from '../components/layout';
import { Empty, ErrorMessage, Loading, NeedsPermission } from '../components/status';
import { ConfirmButton } from '../components/confirm-button';
import { formatDate } from '../format';
import { permissionLabel, refreshPermissions, usePermissions, type Permission } from '../viewer';

const Users = graphql(`
  query Users { users(first: 100) { edges { node { username permissions createdAt } } pageInfo { hasNextPage } } }
`);
const RegisterUser = graphql(`
  mutation RegisterUser($input: RegisterUserInput!) { registerUser(input: $input) { user { username } } }
`);
const SetPermissions = graphql(`
  mutation SetPermissions($input: SetPermissionsInput!) { setPermissions(input: $input) { user { username permissions } } }
`);
const DeleteUser = graphql(`
  mutation DeleteUser($username: String!) { deleteUser(username: $username) { deletedUsername } }
`);
const Reset = graphql(`
  mutation Reset { resetRegistry { ok } }
`);

const PERMISSIONS: readonly Permission[] = ['SEARCH', 'UPLOAD', 'DOWNLOAD', 'ADMIN'];
const asPermissions = (values: string[]) => values.filter((v): v is Permission => (PERMISSIONS as readonly string[]).includes(v));

/** What resetting asks the admin to type, so it is never one stray click. */
export const RESET_CONFIRMATION = 'reset the registry';

function PermissionBoxes({ label, value, onChange, name }: { label: string; value?: string[]; onChange?: (v: string[]) => void; name?: string }) {
  return (
    <CheckboxGroup className="checkbox-group" {...(value && { value })} {...(onChange && { onChange })} {...(name && { name })} {...(!value && { defaultValue: ['SEARCH'] })}>
      <Label>{label}</Label>
      {PERMISSIONS.map((p) => (
        <Checkbox key={p} value={p}>
          <span className="checkbox" aria-hidden="true" />
          {permissionLabel(p)}
        </Checkbox>
      ))}
    </CheckboxGroup>
  );
}

function UserRow({ username, permissions, createdAt, onDeleted }: { username: string; permissions: readonly string[]; createdAt: string; onDeleted(username: string): void }) {
  const [value, setValue] = useState<string[]>([...permissions]);
  const [message, setMessage] = useState<string>();
  return (
    <li className="card user">
      <h3>{username}</h3>
      <p className="muted">Since {formatDate(createdAt)}</p>
      <PermissionBoxes label={`Permissions of ${username}`} value={value} onChange={setValue} />
      <div className="actions">
        <Button
          className="button"
          onPress={async () => {
            const result = await request(SetPermissions, { input: { username, permissions: asPermissions(value) } });
            setMessage(result.ok ? 'Saved.' : describeErrors(result.errors));
            // The navigation and the pages offer what the signed-in user holds now.
            if (result.ok && username === loadSession()?.username) refreshPermissions();
          }}
        >
          Save permissions of {username}
        </Button>
        <ConfirmButton
          title={`Delete user ${username}?`}
          description={
            <p>
              {username} can no longer sign in, and the tokens {username} holds stop working. This cannot be undone.
              {loadSession()?.username === username && ' You are signed in as this user: your session ends too.'}
            </p>
          }
          confirmLabel={`Delete ${username}`}
          onConfirm={async () => {
            const result = await request(DeleteUser, { username });
            if (result.ok) onDeleted(username);
            else setMessage(describeErrors(result.errors));
          }}
        >
          Delete {username}
        </ConfirmButton>
      </div>
      {message && <p role="status">{message}</p>}
    </li>
  );
}

export function AdminPage() {
  const permissions = usePermissions();
  return (
    <Layout title="Administration">
      {permissions === undefined ? <Loading label="Reading your permissions" /> : permissions.includes('ADMIN') ? <AdminConsole /> : <NeedsPermission permission="ADMIN" action="Managing users and resetting the registry" />}
    </Layout>
  );
}

function AdminConsole() {
  const users = useQuery(Users, {});
  // A deleted user's row goes at once, not when the list is read again.
  const [deleted, setDeleted] = useState<readonly string[]>([]);
  const usersHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // The row, its button and the dialog are gone: focus goes to the list's heading, not the page's start.
    if (deleted.length > 0) usersHeading.current?.focus();
  }, [deleted]);
  const [created, setCreated] = useState<string>();
  const [resetText, setResetText] = useState('');
  const [resetError, setResetError] = useState<string>();
  return (
    <>
      <section aria-labelledby="users-h">
        <h2 id="users-h" ref={usersHeading} tabIndex={-1}>
          Users
        </h2>
        <p role="status">{deleted.length > 0 && `Deleted ${deleted.at(-1)}.`}</p>
        {users.status === 'loading' && <Loading label="Loading users" />}
        {users.status === 'error' && <ErrorMessage errors={users.errors} title="The users could not be listed" />}
        {users.status === 'done' && users.data.users.edges.length === 0 && <Empty>No users.</Empty>}
        {users.status === 'done' && (
          <ul className="plain users">
            {users.data.users.edges
              .filter(({ node }) => !deleted.includes(node.username))
              .map(({ node }) => (
                <UserRow
                  key={node.username}
                  {...node}
                  onDeleted={(username) => {
                    setDeleted((names) => [...names, username]);
                    users.reload();
                  }}
                />
              ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="new-h" className="card">
        <h2 id="new-h">Create a user</h2>
        <Form
          className="form narrow"
          onSubmit={async (event) => {
            event.preventDefault();
            const element = event.currentTarget;
            const form = new FormData(element);
            const username = String(form.get('username') ?? '');
            const result = await request(RegisterUser, { input: { username, password: String(form.get('password') ?? ''), permissions: asPermissions(form.getAll('permissions').map(String)) } });
            setCreated(result.ok ? `Created ${result.data.registerUser.user.username}.` : `Could not create ${username}: ${describeErrors(result.errors)}`);
            if (result.ok) {
              element.reset();
              users.reload();
            }
          }}
        >
          <TextField name="username" isRequired autoComplete="off">
            <Label>New username</Label>
            <Input />
          </TextField>
          <TextField name="password" type="password" isRequired autoComplete="new-password">
            <Label>New password</Label>
            <Input />
          </TextField>
          <PermissionBoxes label="Permissions" name="permissions" />
          <Button type="submit" className="button">
            Create user
          </Button>
          {created && <p role="status">{created}</p>}
        </Form>
      </section>

      <section aria-labelledby="reset-h" className="card danger-zone">
        <h2 id="reset-h">Reset the registry</h2>
        <p>Removes every artifact, file, user and token, then recreates the default administrator. Everyone, you included, is signed out.</p>
        <Form
          className="form narrow"
          onSubmit={async (event) => {
            event.preventDefault();
            if (resetText !== RESET_CONFIRMATION) return;
            const result = await request(Reset, {});
            if (!result.ok) return setResetError(describeErrors(result.errors));
            clearSession();
            navigate(hrefOf('/sign-in', { reason: 'the registry was reset.' }));
          }}
        >
          <TextField value={resetText} onChange={setResetText}>
            <Label>Type “{RESET_CONFIRMATION}” to confirm</Label>
            <Input autoComplete="off" />
            <Text slot="description">The button stays disabled until the text matches.</Text>
          </TextField>
          <Button type="submit" className="button danger" isDisabled={resetText !== RESET_CONFIRMATION}>
            Reset the registry
          </Button>
          {resetError && (
            <p role="alert" className="message error">
              {resetError}
            </p>
          )}
        </Form>
      </section>
    </>
  );
}
