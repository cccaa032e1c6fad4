import { useState } from 'react';
import { Button, Form, Input, Label, Link, Radio, RadioGroup, Text, TextField } from 'react-aria-components';
import { graphql } from '../graphql';
import { describeErrors, request, type ApiError } from '../api';
import { artifactHref } from '../router';
import { Layout } from '../components/layout';
import { METRIC_LABELS, RatingChart, type MetricBar } from '../components/rating-chart';
import { formatScore } from '../format';
import { Loading, NeedsPermission } from '../components/status';
import { usePermissions } from '../viewer';

const Ingest = graphql(`
  mutation Ingest($input: IngestArtifactInput!) {
    ingestArtifact(input: $input) { artifact { id name type } }
  }
`);

interface Failure {
  readonly metric: string;
  readonly value: number | null;
}

type Outcome =
  | { kind: 'registered'; id: string; name: string }
  | { kind: 'disqualified'; message: string; failures: Failure[]; bars: MetricBar[] }
  | { kind: 'conflict'; message: string; existingId?: string }
  | { kind: 'error'; message: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Reads the explanation of a failed metric ("license", "sizeScore.raspberryPi") out of the rating sent with DISQUALIFIED. */
function explain(rating: Record<string, unknown>, metric: string): { label: string; explanation: string } {
  const [field, device] = metric.split('.');
  const entry = rating[field ?? ''];
  const explanation = isRecord(entry) && typeof entry['explanation'] === 'string' ? entry['explanation'] : '';
  const label = field && field in METRIC_LABELS ? METRIC_LABELS[field as keyof typeof METRIC_LABELS] : (field ?? metric);
  return { label: device ? `${label === 'sizeScore' ? 'Size score' : label}: ${device}` : label, explanation };
}

/** The DISQUALIFIED error's rating and failures, checked field by field (it is data from the wire). */
function disqualified(error: ApiError): Outcome {
  const rating = isRecord(error.extensions['rating']) ? error.extensions['rating'] : {};
  const raw = Array.isArray(error.extensions['failures']) ? error.extensions['failures'] : [];
  const failures = raw.filter(isRecord).flatMap((f) => (typeof f['metric'] === 'string' ? [{ metric: f['metric'], value: typeof f['value'] === 'number' ? f['value'] : null }] : []));
  const bars = failures.map((f) => ({ key: f.metric, value: f.value, ...explain(rating, f.metric) }));
  return { kind: 'disqualified', message: error.message, failures, bars };
}

function outcomeOf(errors: readonly ApiError[]): Outcome {
  const first = errors[0];
  if (first?.code === 'DISQUALIFIED') return disqualified(first);
  if (first?.code === 'CONFLICT') {
    const existing = first.extensions['existingId'];
    return { kind: 'conflict', message: first.message, ...(typeof existing === 'string' && { existingId: existing }) };
  }
  return { kind: 'error', message: describeErrors(errors) };
}

export function RegisterPage() {
  const permissions = usePermissions();
  return (
    <Layout title="Register an artifact">
      {permissions === undefined ? <Loading label="Reading your permissions" /> : permissions.includes('UPLOAD') ? <RegisterForm /> : <NeedsPermission permission="UPLOAD" action="Registering an artifact" />}
    </Layout>
  );
}

function RegisterForm() {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  return (
    <>
      <Form
        className="form narrow"
        onSubmit={async (event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const type = String(form.get('type') ?? 'MODEL') as 'MODEL' | 'DATASET' | 'CODE';
          const name = String(form.get('name') ?? '').trim();
          setBusy(true);
          setOutcome(undefined);
          const result = await request(Ingest, { input: { type, url: String(form.get('url') ?? '').trim(), ...(name && { name }) } });
          setBusy(false);
          setOutcome(result.ok ? { kind: 'registered', id: result.data.ingestArtifact.artifact.id, name: result.data.ingestArtifact.artifact.name } : outcomeOf(result.errors));
        }}
      >
        <RadioGroup name="type" defaultValue="MODEL" isRequired className="radio-group">
          <Label>Type</Label>
          <Radio value="MODEL">Model</Radio>
          <Radio value="DATASET">Dataset</Radio>
          <Radio value="CODE">Code</Radio>
        </RadioGroup>
        <TextField name="url" type="url" isRequired>
          <Label>URL</Label>
          <Input placeholder="https://huggingface.co/google-bert/bert-base-uncased" />
          <Text slot="description">A model: a Hugging Face model, the source the registry rates. A dataset or code: a Hugging Face dataset, a GitHub repository, or any other page.</Text>
        </TextField>
        <TextField name="name">
          <Label>Name (optional)</Label>
          <Input />
          <Text slot="description">Defaults to the name in the URL.</Text>
        </TextField>
        <Button type="submit" className="button" isDisabled={busy}>
          Register
        </Button>
        {busy && <p role="status">Reading the source and rating it; this can take a few seconds…</p>}
      </Form>
      <div aria-live="polite">
        {outcome?.kind === 'registered' && (
          <p className="message ok">
            ✓ Registered <Link href={artifactHref(outcome.id)}>{outcome.name}</Link>.
          </p>
        )}
        {outcome?.kind === 'conflict' && (
          <p className="message error">
            {outcome.message}
            {outcome.existingId && (
              <>
                {' '}
                <Link href={artifactHref(outcome.existingId)}>Open the registered artifact</Link>.
              </>
            )}
          </p>
        )}
        {outcome?.kind === 'error' && <p className="message error">Registration failed: {outcome.message}</p>}
      </div>
      {outcome?.kind === 'disqualified' && (
        <section aria-labelledby="dq-h" className="card disqualified" role="alert">
          <h2 id="dq-h">Not registered: the model failed the ingest gate</h2>
          {outcome.failures.length === 0 ? (
            // No metric failed: the source is one the registry cannot rate, and the message says why.
            <p>{outcome.message}</p>
          ) : (
            <p>
              Every metric must score at least 0.50. These {outcome.failures.length} did not:{' '}
              {outcome.failures.map((f) => `${explain({}, f.metric).label} ${formatScore(f.value)}`).join(', ')}.
            </p>
          )}
          <ul className="failures">
            {outcome.bars.map((bar) => (
              <li key={bar.key}>
                <strong>
                  {bar.label}: {formatScore(bar.value)}
                </strong>{' '}
                — {bar.explanation}
              </li>
            ))}
          </ul>
          <RatingChart metrics={outcome.bars} caption="Failed metrics" />
        </section>
      )}
    </>
  );
}
