import { describe, expect, it } from 'vitest';
import { useTestRegistry } from '../support/registry-harness.js';

/** Issue 11 item 6: CORS only for configured origins, never with credentials; no simple-request mutations. */
const ALLOWED = 'https://ui.example.com';
const t = useTestRegistry({ yoga: { corsOrigins: [ALLOWED] } });

const REGISTER = 'mutation { registerUser(input: { username: "csrf-victim", password: "a long enough password", permissions: [ADMIN] }) { user { username } } }';

async function usernames(): Promise<string[]> {
  const response = await t.gql<{ users: { edges: { node: { username: string } }[] } }>('{ users(first: 100) { edges { node { username } } } }');
  return response.data!.users.edges.map((edge) => edge.node.username);
}

describe('CORS', () => {
  it('answers a foreign origin without any CORS header (not even a reflected one)', async () => {
    const response = await fetch(t.url, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ health { status } }' }),
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses a foreign preflight and grants a configured one, never with credentials', async () => {
    const preflight = (origin: string) =>
      fetch(t.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' } });
    const foreign = await preflight('https://evil.example');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await preflight(ALLOWED);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
  });

  it('sends no CORS headers at all when no origin is configured (the default)', async () => {
    const { startTestRegistry } = await import('../support/registry-harness.js');
    const other = await startTestRegistry(t.storage);
    try {
      const response = await fetch(other.url, { method: 'POST', headers: { origin: ALLOWED, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ health { status } }' }) });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await other.close();
    }
  });
});

describe('cross-site simple requests', () => {
  it('refuses a form-encoded POST that would run a mutation, and runs nothing', async () => {
    const body = new URLSearchParams({ query: REGISTER }).toString();
    const response = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${t.adminToken}` }, body });
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(answer.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    expect(answer.errors[0]!.message).toMatch(/x-graphql-yoga-csrf/);
    expect(await usernames()).not.toContain('csrf-victim');
  });

  it('refuses text/plain and header-less multipart the same way', async () => {
    const plain = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: REGISTER }) });
    expect(plain.status).toBe(400);
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: REGISTER }));
    form.set('map', '{}');
    const multipart = await fetch(t.url, { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}` }, body: form });
    expect(multipart.status).toBe(400);
    expect(await usernames()).not.toContain('csrf-victim');
  });

  it('lets a multipart request with the preflight header through', async () => {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: '{ health { status } }' }));
    form.set('map', '{}');
    // Multipart is read for uploaders only (request-bodies.test.ts): the admin's token here.
    const response = await fetch(t.url, { method: 'POST', headers: { 'x-graphql-yoga-csrf': '1', authorization: `Bearer ${t.adminToken}` }, body: form });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { health: { status: string } } }).data.health.status).toBe('OK');
  });
});
