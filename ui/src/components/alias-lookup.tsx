import { useState } from 'react';
import { Button, Form, Input, Label, TextField } from 'react-aria-components';
import { graphql } from '../graphql';
import { describeErrors, request } from '../api';
import { artifactHref, navigate } from '../router';

const ArtifactByAlias = graphql(`
  query ArtifactByAlias($name: String!, $alias: String!) {
    artifactByAlias(name: $name, alias: $alias) { id }
  }
`);

/** Opens the artifact an alias names (`production` of `bert-base`), as a deployment would resolve it. */
export function AliasLookup() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <details className="card alias-lookup">
      <summary>Open an artifact by its alias</summary>
      <Form
        className="form"
        onSubmit={async (event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          setBusy(true);
          setError(undefined);
          const result = await request(ArtifactByAlias, { name: String(form.get('aliasOf') ?? ''), alias: String(form.get('alias') ?? '') });
          setBusy(false);
          if (!result.ok) return setError(describeErrors(result.errors));
          const found = result.data.artifactByAlias;
          if (!found) return setError('No artifact: the alias is unset, or the artifact it named was deleted.');
          navigate(artifactHref(found.id));
        }}
      >
        <TextField name="aliasOf" isRequired>
          <Label>Artifact name</Label>
          <Input placeholder="bert-base-uncased" />
        </TextField>
        <TextField name="alias" isRequired>
          <Label>Alias</Label>
          <Input placeholder="production" />
        </TextField>
        <div>
          <Button type="submit" className="button secondary" isDisabled={busy}>
            Open
          </Button>
        </div>
        <div aria-live="polite">{error && <p className="message error">{error}</p>}</div>
      </Form>
    </details>
  );
}
