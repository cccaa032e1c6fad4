import { useState } from 'react';
import { Button, FieldError, Form, Input, Label, TextField } from 'react-aria-components';
import { graphql } from '../graphql';
import { request, describeErrors } from '../api';
import { saveSession } from '../session';
import { navigate, useLocation } from '../router';
import { Layout } from '../components/layout';
import { Notice } from '../components/status';

const Authenticate = graphql(`
  mutation Authenticate($username: String!, $password: String!) {
    authenticate(username: $username, password: $password) { token expiresAt }
  }
`);

/** Where sign-in sends the user: back to the page that needed it, if it is one of ours. */
function nextPage(search: URLSearchParams): string {
  const next = search.get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/browse';
}

export function SignInPage() {
  const { search } = useLocation();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const reason = search.get('reason');
  return (
    <Layout title="Sign in">
      {reason && <Notice>Your session ended: {reason} Sign in again to continue.</Notice>}
      <Form
        className="form narrow"
        onSubmit={async (event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const username = String(form.get('username') ?? '');
          setBusy(true);
          setError(undefined);
          const result = await request(Authenticate, { username, password: String(form.get('password') ?? '') }, { anonymous: true });
          setBusy(false);
          if (!result.ok) {
            setError(describeErrors(result.errors));
            return;
          }
          saveSession({ token: result.data.authenticate.token, expiresAt: result.data.authenticate.expiresAt, username });
          navigate(nextPage(search));
        }}
      >
        <TextField name="username" isRequired autoComplete="username">
          <Label>Username</Label>
          <Input autoFocus />
          <FieldError />
        </TextField>
        <TextField name="password" type="password" isRequired autoComplete="current-password">
          <Label>Password</Label>
          <Input />
          <FieldError />
        </TextField>
        {error && (
          <div role="alert" className="message error">
            Sign-in failed: {error}
          </div>
        )}
        <Button type="submit" className="button" isDisabled={busy}>
          Sign in
        </Button>
      </Form>
    </Layout>
  );
}
