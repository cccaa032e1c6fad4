import { useState } from 'react';
import { Button, Form, Input, Label, TextField } from 'react-aria-components';
import { graphql, type ResultOf } from '../graphql';
import { describeErrors, request } from '../api';

const LicenseCheck = graphql(`
  query LicenseCheck($id: ID!, $githubUrl: String!) {
    artifact(id: $id) { id ... on Model { licenseCheck(githubUrl: $githubUrl) { compatible modelLicense codeLicense reason } } }
  }
`);

type Check = NonNullable<Extract<NonNullable<ResultOf<typeof LicenseCheck>['artifact']>, { licenseCheck: unknown }>['licenseCheck']>;

/** May this GitHub project's code fine-tune the model and run it? (docs/licenses.md) */
export function LicenseCheckForm({ modelId }: { modelId: string }) {
  const [state, setState] = useState<{ busy: boolean; check?: Check; error?: string }>({ busy: false });
  return (
    <Form
      className="form inline"
      onSubmit={async (event) => {
        event.preventDefault();
        const githubUrl = String(new FormData(event.currentTarget).get('githubUrl') ?? '');
        setState({ busy: true });
        const result = await request(LicenseCheck, { id: modelId, githubUrl });
        const check = result.ok && result.data.artifact && 'licenseCheck' in result.data.artifact ? result.data.artifact.licenseCheck : undefined;
        setState(check ? { busy: false, check } : { busy: false, error: describeErrors(result.errors) || 'no answer' });
      }}
    >
      <TextField name="githubUrl" type="url" isRequired>
        <Label>GitHub project URL</Label>
        <Input placeholder="https://github.com/owner/repo" />
      </TextField>
      <Button type="submit" className="button" isDisabled={state.busy}>
        Check license
      </Button>
      <div aria-live="polite" className="full">
        {state.check && (
          <p className={`message ${state.check.compatible ? 'ok' : 'error'}`}>
            <strong>{state.check.compatible ? '✓ Compatible' : '✗ Not compatible'}</strong> (model: {state.check.modelLicense ?? 'unknown'}, code: {state.check.codeLicense ?? 'unknown'}). {state.check.reason}
          </p>
        )}
        {state.error && <p className="message error">The check failed: {state.error}</p>}
      </div>
    </Form>
  );
}
