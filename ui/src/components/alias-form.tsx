import { useState, type ReactNode } from 'react';
import { Button, Form, Input, Label, Link, TextField } from 'react-aria-components';
import { graphql } from '../graphql';
import { describeErrors, request } from '../api';
import { artifactHref } from '../router';
import { ConfirmButton } from './confirm-button';

const AliasTarget = graphql(`
  query AliasTarget($name: String!, $alias: String!) {
    artifactByAlias(name: $name, alias: $alias) { id name }
  }
`);
const SetAlias = graphql(`
  mutation SetAlias($input: SetAliasInput!) {
    setAlias(input: $input) { moved artifact { id name } }
  }
`);
const RemoveAlias = graphql(`
  mutation RemoveAlias($input: RemoveAliasInput!) {
    removeAlias(input: $input) { removedFrom }
  }
`);

type Answer = { readonly ok: boolean; readonly text: ReactNode } | undefined;

/**
 * Points an alias (`production` of a name) at this artifact, or unsets it. setAlias does not say
 * where the alias was before, so the form reads it first: the answer can say what moved.
 */
export function AliasForm({ artifactId, artifactName, onChanged }: { artifactId: string; artifactName: string; onChanged(): void }) {
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<Answer>();
  const [name, setName] = useState(artifactName);
  const [alias, setAlias] = useState('');

  async function set() {
    setBusy(true);
    setAnswer(undefined);
    const before = await request(AliasTarget, { name, alias });
    const previous = before.ok ? before.data.artifactByAlias : null;
    const result = await request(SetAlias, { input: { name, alias, artifactId } });
    setBusy(false);
    if (!result.ok) return setAnswer({ ok: false, text: <>Setting the alias failed: {describeErrors(result.errors)}</> });
    const { moved } = result.data.setAlias;
    const from = !moved ? (
      ' (it named this artifact already; nothing changed)'
    ) : previous ? (
      <>
        {' '}
        (moved from <Link href={artifactHref(previous.id)}>{previous.name}</Link>, {previous.id})
      </>
    ) : (
      ' (it was unset)'
    );
    setAnswer({ ok: true, text: <>✓ Alias {alias} of {name} now names this artifact{from}.</> });
    if (moved) onChanged();
  }

  async function remove() {
    setBusy(true);
    setAnswer(undefined);
    const result = await request(RemoveAlias, { input: { name, alias } });
    setBusy(false);
    if (!result.ok) return setAnswer({ ok: false, text: <>Removing the alias failed: {describeErrors(result.errors)}</> });
    const from = result.data.removeAlias.removedFrom;
    setAnswer({ ok: true, text: <>✓ Alias {alias} of {name} removed; it named {from === artifactId ? 'this artifact' : <Link href={artifactHref(from)}>artifact {from}</Link>}.</> });
    onChanged();
  }

  return (
    <Form
      className="form alias-form"
      onSubmit={(event) => {
        event.preventDefault();
        void set();
      }}
    >
      <TextField name="name" value={name} onChange={setName} isRequired>
        <Label>Artifact name</Label>
        <Input />
      </TextField>
      <TextField name="alias" value={alias} onChange={setAlias} isRequired>
        <Label>Alias</Label>
        <Input placeholder="production" />
      </TextField>
      <div className="actions">
        <Button type="submit" className="button" isDisabled={busy}>
          Set alias
        </Button>
        <ConfirmButton
          className="button secondary"
          isDisabled={busy || !alias}
          title={`Remove alias ${alias} of ${name}?`}
          description={<p>Whatever resolves {alias} of {name} finds no artifact until the alias is set again. The removal is recorded in the history.</p>}
          confirmLabel="Remove alias"
          onConfirm={remove}
        >
          Remove alias
        </ConfirmButton>
      </div>
      <div aria-live="polite" className="full">
        {answer && <p className={`message ${answer.ok ? 'ok' : 'error'}`}>{answer.text}</p>}
      </div>
    </Form>
  );
}
