import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStorage, startTestRegistry, type TestRegistry } from '../support/registry-harness.js';
import { FixtureReplay } from '../support/fixture-replay.js';
import { routeSyntheticParent } from '../support/synthetic-parents.js';
import type { EmbeddedStorage } from '../../src/server/embedded-storage.js';
import { DEFAULT_ADMIN_PASSWORD } from '../../src/config.js';
import { DEFAULT_ADMIN_USERNAME } from '../../src/application/users/user-commands.js';
import { axe, builtUi, CHROMIUM, launchChromium, REQUIRED_RULES, screenshot, WCAG_TAGS, type AxeSummary } from './browser.js';

/**
 * The web UI in a real browser (Debian's Chromium through playwright-core) against a registry on
 * dynalite and s3rver, with the Hub and GitHub replayed from the recorded fixtures: the flows of
 * issue 18, and axe's WCAG 2.1 A/AA rules (Label in Name among them) on every page.
 */

// The recordings hold the child's card, which names this parent; the parent's own info is synthetic.
const PARENT_ID = 'FacebookAI/roberta-base';
const CHILD_ID = 'deepset/roberta-base-squad2';
const PARENT = `https://huggingface.co/${PARENT_ID}`;
const CHILD = `https://huggingface.co/${CHILD_ID}`;

const INGEST = 'mutation($input: IngestArtifactInput!) { ingestArtifact(input: $input) { artifact { id name } } }';
const UPDATE = 'mutation($input: UpdateArtifactInput!) { updateArtifact(input: $input) { artifact { name } } }';
const DELETE = 'mutation($input: DeleteArtifactInput!) { deleteArtifact(input: $input) { __typename } }';
const REGISTER_USER = 'mutation($input: RegisterUserInput!) { registerUser(input: $input) { user { username } } }';

// Generous timeouts: a shared CI machine may be slow; nothing here measures speed.
describe.skipIf(!CHROMIUM)('the web UI in Chromium', { timeout: 120_000 }, () => {
  let storage: EmbeddedStorage;
  let t: TestRegistry;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const ids: Record<string, string> = {};
  const axeResults: AxeSummary[] = [];
  /** Script errors in the page: printed when a test fails, to say why. */
  const pageErrors: string[] = [];

  /** axe on the current page: zero violations, and the result kept for the summary. */
  async function expectAccessible(name: string, target: Page = page): Promise<void> {
    const summary = await axe(target, name);
    axeResults.push(summary);
    expect(summary.violations, `${name}: ${JSON.stringify(summary.violations, null, 2)}`).toEqual([]);
    await screenshot(target, name);
  }

  /** Nothing on the current page overflows sideways at 360 px (the viewport is restored after). */
  async function expectNarrowFits(): Promise<void> {
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 360, height: 740 });
    try {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    } finally {
      await page.setViewportSize(size);
    }
  }

  async function ingest(type: string, url: string): Promise<string> {
    const response = await t.gql<{ ingestArtifact: { artifact: { id: string } } }>(INGEST, { input: { type, url } });
    if (!response.data?.ingestArtifact) throw new Error(`ingest of ${url}: ${JSON.stringify(response.errors)}`);
    return response.data.ingestArtifact.artifact.id;
  }

  async function signIn(target: Page = page, username: string = DEFAULT_ADMIN_USERNAME, password: string = DEFAULT_ADMIN_PASSWORD): Promise<void> {
    await target.goto(`${base}/sign-in`);
    await target.getByLabel('Username').fill(username);
    await target.getByLabel('Password').fill(password);
    await target.getByRole('button', { name: 'Sign in' }).click();
    await target.getByRole('heading', { level: 1, name: 'Artifacts' }).waitFor();
  }

  beforeAll(async () => {
    const ui = await builtUi();
    storage = await startStorage();
    const replay = new FixtureReplay();
    routeSyntheticParent(replay, CHILD_ID, PARENT_ID);
    t = await startTestRegistry(storage, { replay, yoga: { ui } });
    base = t.url.replace(/\/graphql$/, '');
    ids['parent'] = await ingest('MODEL', PARENT);
    ids['child'] = await ingest('MODEL', CHILD);
    ids['dataset'] = await ingest('DATASET', 'https://www.kaggle.com/datasets/registry-tests/bookcorpus');
    browser = await launchChromium();
    // 360 px wide first for the sign-in page; the rest at a desktop width.
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    // Waits fail with the locator they waited for, well before the test's own timeout.
    context.setDefaultTimeout(45_000);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
    });
  }, 120_000);

  afterAll(async () => {
    const incomplete = (r: AxeSummary) => (r.incomplete.length > 0 ? `, undecided: ${r.incomplete.join(' ')}` : '');
    console.log(`axe (tags ${WCAG_TAGS.join(' ')}; rules ${REQUIRED_RULES.join(' ')}) per page:\n${axeResults.map((r) => `  ${r.page.padEnd(26)} ${r.violations.length} violations, ${r.passes} rules passed${incomplete(r)}`).join('\n')}`);
    if (pageErrors.length > 0) console.log(`browser errors:\n${pageErrors.join('\n')}`);
    await browser?.close();
    expect(t?.serverErrors ?? []).toEqual([]);
    await t?.close();
    await storage?.close();
  });

  it('runs Label in Name: a control whose name leaves out its visible text fails the axe check', async () => {
    // Not the registry's page: a known mismatch, so a configuration that stops catching it fails here.
    const probe = await context.newPage();
    await probe.setContent('<!doctype html><html lang="en"><title>probe</title><main><button aria-label="License score explained">why?</button></main></html>');
    const summary = await axe(probe, 'probe');
    await probe.close();
    expect(summary.violations.map((v) => v.id)).toContain('label-content-name-mismatch');
  });

  it('sends a visitor without a token to sign-in, at 360 px too, and refuses a wrong password with a message', async () => {
    const narrow = await browser.newPage({ viewport: { width: 360, height: 740 } });
    narrow.setDefaultTimeout(45_000);
    await narrow.goto(`${base}/`);
    await narrow.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(new URL(narrow.url()).pathname).toBe('/sign-in');
    // Nothing overflows sideways at 360 px.
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await narrow.screenshot({ path: 'test-results/ui/sign-in-360px.png', fullPage: true });
    await narrow.close();

    await page.goto(`${base}/`);
    await page.getByLabel('Username').fill(DEFAULT_ADMIN_USERNAME);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'UNAUTHENTICATED' }).waitFor();
    await expectAccessible('sign-in');
  });

  it('signs in and lists artifacts with type, name, a net score badge in words, license and last change', async () => {
    await signIn();
    const rows = page.getByRole('row');
    await expect.poll(() => rows.count()).toBe(4);
    const child = page.getByRole('row').filter({ hasText: 'roberta-base-squad2' });
    await expect(child.getByRole('cell').nth(0).textContent()).resolves.toBe('Model');
    expect(await child.getByRole('cell').nth(2).textContent()).toMatch(/^✓ \d\.\d\d passes$/);
    expect(await child.getByRole('cell').nth(3).textContent()).toMatch(/cc-by-4\.0|mit|apache/i);
    await expectAccessible('artifacts');
  });

  it('searches by name and type, with the search in a shareable URL, and pages', async () => {
    await page.getByRole('searchbox', { name: 'Name' }).fill('RoBERTa base');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=RoBERTa\+base/);
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
    await expect(page.getByRole('link', { name: 'roberta-base', exact: true }).isVisible()).resolves.toBe(true);
    await expectAccessible('artifacts-search');

    // The same URL in a fresh tab shows the same result.
    const shared = await context.newPage();
    await shared.goto(page.url());
    // sessionStorage is per tab: a new tab signs in first, then lands on the shared search.
    await shared.getByLabel('Username').fill(DEFAULT_ADMIN_USERNAME);
    await shared.getByLabel('Password').fill(DEFAULT_ADMIN_PASSWORD);
    await shared.getByRole('button', { name: 'Sign in' }).click();
    await shared.waitForURL(/q=RoBERTa\+base/);
    await expect.poll(() => shared.getByRole('row').count()).toBe(2);
    await shared.close();

    await page.goto(`${base}/browse?type=DATASET`);
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
    await expect(page.getByRole('link', { name: 'bookcorpus' }).isVisible()).resolves.toBe(true);
    await page.goto(`${base}/browse?q=no+such+thing`);
    await expect(page.getByText('No artifact matches this search.')).toBeDefined();
    await page.getByText('No artifact matches this search.').waitFor();
  });

  it('searches names and READMEs by regular expression, marks the match, and explains an invalid pattern', async () => {
    await page.goto(`${base}/browse`);
    await page.getByText('Regular expression (name and README)').click();
    // "Haystack" is in no name, only in the child's README (which the synthetic parent serves too).
    await page.getByRole('searchbox', { name: 'Pattern' }).fill('(?i)haystack pipeline');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/regex=/);
    expect(new URL(page.url()).searchParams.get('regex')).toBe('(?i)haystack pipeline');
    // A header and the two models; the dataset's card does not match.
    await expect.poll(() => page.getByRole('row').count()).toBe(3);
    await expect(page.getByRole('link', { name: 'bookcorpus' }).count()).resolves.toBe(0);
    const hit = page.getByRole('row').filter({ hasText: 'roberta-base-squad2' });
    await expect(hit.getByText('README:').isVisible()).resolves.toBe(true);
    expect((await hit.locator('mark').textContent())?.toLowerCase()).toBe('haystack pipeline');
    await expectAccessible('artifacts-regex');

    // The URL alone reproduces the search, type filter included; a type with no hit answers empty.
    await page.goto(`${base}/browse?type=DATASET&regex=${encodeURIComponent('(?i)haystack')}`);
    await page.getByText('No artifact matches this pattern.').waitFor();
    await expect(page.getByRole('radio', { name: /Regular expression/ }).isChecked()).resolves.toBe(true);

    // A pattern RE2 refuses shows its reason, not a generic failure.
    await page.goto(`${base}/browse?regex=${encodeURIComponent('(unclosed')}`);
    const alert = page.getByRole('alert').filter({ hasText: 'not a valid regular expression' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/missing closing \)|missing argument|parenthes/i);
    await expectAccessible('artifacts-regex-invalid');
  });

  it('opens a model, reads a metric explanation one click away, and follows its lineage to the parent', async () => {
    await page.goto(`${base}/browse`);
    await page.getByRole('link', { name: 'roberta-base-squad2' }).click();
    await page.getByRole('heading', { level: 1, name: 'roberta-base-squad2' }).waitFor();
    await page.getByRole('heading', { name: 'Rating' }).waitFor();
    // The name is the visible text (WCAG 2.5.3); the score and verdict are its description.
    const license = page.getByRole('button', { name: 'License why?', exact: true });
    const describedBy = await license.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toMatch(/^\d\.\d\d passes$/);
    expect(await license.getAttribute('aria-expanded')).toBe('false');
    await license.click();
    expect(await license.getAttribute('aria-expanded')).toBe('true');
    await page.getByText(/cc-by-4\.0/i).first().waitFor();
    // The size score: one bar per device.
    for (const device of ['Raspberry Pi', 'Jetson Nano', 'Desktop PC', 'AWS server']) await page.getByRole('button', { name: `Size: ${device} why?`, exact: true }).waitFor();
    // The history timeline says who did what.
    await page.getByRole('heading', { name: 'History' }).waitFor();
    expect(await page.locator('.timeline li').first().textContent()).toContain(`${DEFAULT_ADMIN_USERNAME} registered`);
    await page.locator('svg.lineage').waitFor();
    await expectAccessible('artifact-model');

    await page.getByRole('link', { name: 'Open roberta-base' }).click();
    await page.getByRole('heading', { level: 1, name: 'roberta-base' }).waitFor();
    expect(decodeURIComponent(new URL(page.url()).pathname)).toBe(`/browse/${ids['parent']}`);
    await page.locator('svg.lineage').waitFor();
    await expectAccessible('artifact-parent');
  });

  it('uploads a file with its SHA-256 from the browser through a presigned PUT, then downloads the same bytes', async () => {
    await page.goto(`${base}/browse/${encodeURIComponent(ids['child']!)}`);
    await page.getByRole('heading', { name: 'Files' }).waitFor();
    const content = Buffer.from('{"architectures": ["RobertaForQuestionAnswering"]}\n');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Upload a file…' }).click();
    await (await chooser).setFiles({ name: 'config.json', mimeType: 'application/json', buffer: content });
    await page.getByText('Uploaded config.json.').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'config.json' });
    await row.waitFor();
    expect(await row.textContent()).toContain(createHash('sha256').update(content).digest('hex').slice(0, 12));

    await page.getByRole('button', { name: 'Download config.json' }).click();
    const link = page.getByRole('link', { name: /^Save config\.json/ });
    const href = await link.getAttribute('href');
    const download = await page.request.get(href!);
    expect(Buffer.from(await download.body())).toEqual(content);
    await expectAccessible('artifact-files');
  });

  it('checks a GitHub project against the model license', async () => {
    await page.getByLabel('GitHub project URL').fill('https://github.com/huggingface/transformers');
    await page.getByRole('button', { name: 'Check license' }).click();
    await page.getByText(/Compatible|Not compatible|The check failed/).waitFor();
  });

  it('registers a model, and explains a DISQUALIFIED one metric by metric', async () => {
    await page.goto(`${base}/register`);
    await page.getByLabel('URL').fill('https://huggingface.co/google-bert/bert-base-uncased');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText('✓ Registered').waitFor();
    await page.getByRole('link', { name: 'bert-base-uncased' }).waitFor();

    await page.getByLabel('URL').fill('https://huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct');
    await page.getByRole('button', { name: 'Register' }).click();
    const refusal = page.getByRole('heading', { name: 'Not registered: the model failed the ingest gate' });
    await refusal.waitFor();
    const section = page.locator('section.disqualified');
    expect(await section.textContent()).toContain('llama3');
    // Which metrics fail is the gate's business (docs/metrics.md); the page lists each with its reason.
    expect(await section.locator('.failures li').count()).toBeGreaterThanOrEqual(1);
    expect(await section.locator('.failures li').first().textContent()).toMatch(/: \d\.\d\d — \S/);
    await expectAccessible('register-disqualified');

    // A model from a source the registry cannot rate: the reason, not an empty list of metrics.
    await page.getByLabel('URL').fill('https://www.kaggle.com/models/registry-tests/look-alike');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText('www.kaggle.com is not a source the registry can rate').waitFor();
    expect(await section.textContent()).not.toContain('These 0');
  });

  it('lets an admin create a user with permissions and delete it after a confirmation; reset waits for the typed confirmation', async () => {
    await page.goto(`${base}/admin`);
    await page.getByRole('heading', { name: DEFAULT_ADMIN_USERNAME }).waitFor();
    await page.getByLabel('New username').fill('reviewer');
    await page.getByLabel('New password').fill('a long enough secret 123');
    await page.getByRole('group', { name: 'Permissions', exact: true }).getByText('Download').click();
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('Created reviewer.').waitFor();
    await page.getByRole('heading', { name: 'reviewer' }).waitFor();
    const users = await t.gql<{ users: { edges: { node: { username: string; permissions: string[] } }[] } }>('{ users { edges { node { username permissions } } } }');
    expect(users.data!.users.edges.find((e) => e.node.username === 'reviewer')?.node.permissions.sort()).toEqual(['DOWNLOAD', 'SEARCH']);
    const reset = page.getByRole('button', { name: 'Reset the registry' });
    expect(await reset.isDisabled()).toBe(true);
    await page.getByLabel(/to confirm/).fill('reset');
    expect(await reset.isDisabled()).toBe(true);
    await expectAccessible('admin');

    // One click on Delete only asks: Escape and Cancel keep the user, focus back on the button.
    const usernames = async () => (await t.gql<{ users: { edges: { node: { username: string } }[] } }>('{ users { edges { node { username } } } }')).data!.users.edges.map((e) => e.node.username);
    const focused = () => page.evaluate(() => document.activeElement?.textContent);
    const dialog = page.getByRole('alertdialog', { name: 'Delete user reviewer?' });
    await page.getByRole('button', { name: 'Delete reviewer' }).click();
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('reviewer can no longer sign in');
    expect(await focused()).toBe('Cancel');
    await expectAccessible('admin-delete-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(focused).toBe('Delete reviewer');
    await page.getByRole('button', { name: 'Delete reviewer' }).click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { name: 'reviewer', exact: true }).waitFor();
    expect(await usernames()).toContain('reviewer');

    // The dialog's own button deletes; focus goes to the list's heading.
    await page.getByRole('button', { name: 'Delete reviewer' }).click();
    await dialog.getByRole('button', { name: 'Delete reviewer' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted reviewer.' }).waitFor();
    await expect(page.getByRole('heading', { name: 'reviewer', exact: true }).count()).resolves.toBe(0);
    expect(await usernames()).not.toContain('reviewer');
    await expect.poll(focused).toBe('Users');
  });

  it('shows health with components and warnings to an admin', async () => {
    await page.goto(`${base}/status`);
    await page.getByRole('heading', { name: 'Components' }).waitFor();
    await page.getByRole('cell', { name: 'dynamodb' }).or(page.getByRole('cell', { name: /table/i })).first().waitFor();
    await expectAccessible('health');
  });

  it('tells the history in sentences: a rename says from what to what', async () => {
    const read = await t.gql<{ artifact: { version: number } }>('query($id: ID!) { artifact(id: $id) { version } }', { id: ids['dataset'] });
    const renamed = await t.gql<{ updateArtifact: { artifact: { name: string } } }>(UPDATE, { input: { id: ids['dataset'], expectedVersion: read.data!.artifact.version, name: 'bookcorpus-renamed' } });
    expect(renamed.errors).toBeUndefined();
    await page.goto(`${base}/browse/${encodeURIComponent(ids['dataset']!)}`);
    await page.getByRole('heading', { level: 1, name: 'bookcorpus-renamed' }).waitFor();
    const entries = page.locator('.timeline li');
    expect(await entries.first().textContent()).toMatch(new RegExp(`${DEFAULT_ADMIN_USERNAME} registered bookcorpus from https://www\\.kaggle\\.com/`));
    expect(await entries.filter({ hasText: 'renamed it' }).textContent()).toContain('renamed it from bookcorpus to bookcorpus-renamed');

    // The type filter is in the URL and asks the API for renames only.
    await page.getByRole('button', { name: /^Everything/ }).click();
    await page.getByRole('option', { name: 'Renames and URL changes' }).click();
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/show=updates/);
    await expect.poll(() => entries.count()).toBe(2);
    await expectAccessible('artifact-history-filtered');
  });

  it('travels in time: a past state under a banner, without actions, and back to the current one', async () => {
    await page.goto(`${base}/browse/${encodeURIComponent(ids['dataset']!)}`);
    await page.getByRole('heading', { level: 1, name: 'bookcorpus-renamed' }).waitFor();
    await page.getByRole('link', { name: /^View as of this change/ }).first().click();
    await page.waitForURL(/asOf=/);
    await page.getByRole('heading', { level: 1, name: 'bookcorpus' }).waitFor();
    await page.getByText('You are viewing this artifact as it was on').waitFor();
    // Actions only fit the current state.
    await expect(page.getByRole('button', { name: 'Upload a file…' }).count()).resolves.toBe(0);
    await expect(page.getByRole('heading', { name: 'Aliases' }).count()).resolves.toBe(0);
    await page.locator('.timeline li').first().getByText('The page shows the artifact as of this change.').waitFor();
    await expectAccessible('artifact-as-of');
    await expectNarrowFits();
    const asOf = new URL(page.url()).searchParams.get('asOf')!;

    await page.getByRole('link', { name: 'View the current version' }).click();
    await page.getByRole('heading', { level: 1, name: 'bookcorpus-renamed' }).waitFor();
    expect(new URL(page.url()).searchParams.get('asOf')).toBeNull();

    // Before the registration there was nothing to show.
    await page.goto(`${base}/browse/${encodeURIComponent(ids['dataset']!)}?asOf=2000-01-01T00:00:00.000Z`);
    await page.getByText(/did not exist yet, or was already deleted/).waitFor();

    // A deleted artifact still reads as it was.
    const read = await t.gql<{ artifact: { version: number } }>('query($id: ID!) { artifact(id: $id) { version } }', { id: ids['dataset'] });
    const deleted = await t.gql(DELETE, { input: { id: ids['dataset'], expectedVersion: read.data!.artifact.version } });
    expect(deleted.errors).toBeUndefined();
    await page.goto(`${base}/browse/${encodeURIComponent(ids['dataset']!)}?asOf=${encodeURIComponent(asOf)}`);
    await page.getByRole('heading', { level: 1, name: 'bookcorpus' }).waitFor();
    await page.getByText('You are viewing this artifact as it was on').waitFor();
  });

  it('sets an alias from the artifact page, shows what it moved from, and records the move in the history', async () => {
    await page.goto(`${base}/browse/${encodeURIComponent(ids['child']!)}`);
    await page.getByRole('heading', { name: 'Aliases' }).waitFor();
    expect(await page.getByLabel('Artifact name').inputValue()).toBe('roberta-base-squad2');
    await page.getByLabel('Alias', { exact: true }).fill('production');
    await page.getByRole('button', { name: 'Set alias' }).click();
    await page.getByText('✓ Alias production of roberta-base-squad2 now names this artifact (it was unset).').waitFor();
    // The history names the alias's normalized name.
    await page.locator('.timeline li').filter({ hasText: 'moved alias production of robertabasesquad2 from nothing to this artifact' }).waitFor();

    // A refusal shows the registry's message and code.
    await page.getByLabel('Alias', { exact: true }).fill('Not An Alias!');
    await page.getByRole('button', { name: 'Set alias' }).click();
    await page.getByText(/^Setting the alias failed: .+\([A-Z_]+\)$/).waitFor();
    await expectAccessible('artifact-alias');
    await expectNarrowFits();

    // The list page opens the artifact an alias names.
    await page.goto(`${base}/browse`);
    await page.getByText('Open an artifact by its alias').click();
    await page.getByLabel('Artifact name').fill('roberta-base-squad2');
    await page.getByLabel('Alias', { exact: true }).fill('production');
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'roberta-base-squad2' }).waitFor();
  });

  it('asks before removing an alias: Cancel keeps it, confirming removes it', async () => {
    const resolved = async () =>
      (await t.gql<{ artifactByAlias: { id: string } | null }>('query($name: String!, $alias: String!) { artifactByAlias(name: $name, alias: $alias) { id } }', { name: 'roberta-base-squad2', alias: 'production' })).data?.artifactByAlias?.id ?? null;
    expect(await resolved()).toBe(ids['child']);
    await page.goto(`${base}/browse/${encodeURIComponent(ids['child']!)}`);
    await page.getByRole('heading', { name: 'Aliases' }).waitFor();
    await page.getByLabel('Alias', { exact: true }).fill('production');
    const dialog = page.getByRole('alertdialog', { name: 'Remove alias production of roberta-base-squad2?' });
    await page.getByRole('button', { name: 'Remove alias' }).click();
    await dialog.waitFor();
    await expectAccessible('artifact-alias-remove-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await resolved()).toBe(ids['child']);

    await page.getByRole('button', { name: 'Remove alias' }).click();
    await dialog.getByRole('button', { name: 'Remove alias' }).click();
    await page.getByText('✓ Alias production of roberta-base-squad2 removed; it named this artifact.').waitFor();
    expect(await resolved()).toBeNull();
  });

  it('offers a SEARCH-only user only what it may do: no Register, Admin, upload, download or alias actions', async () => {
    const navLinks = (target: Page) => target.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    // The admin is offered every page.
    await page.goto(`${base}/browse`);
    await expect.poll(() => navLinks(page)).toEqual(['Artifacts', 'Register', 'Admin', 'Health']);

    const password = 'a long enough secret 123';
    const created = await t.gql(REGISTER_USER, { input: { username: 'searcher', password, permissions: ['SEARCH'] } });
    expect(created.errors).toBeUndefined();
    const tab = await context.newPage();
    try {
      await signIn(tab, 'searcher', password);
      // A page says what it needs once the permissions are read; by then the navigation is final.
      await tab.goto(`${base}/register`);
      await tab.getByText('Registering an artifact needs the Upload permission, which searcher does not have.').waitFor();
      expect(await navLinks(tab)).toEqual(['Artifacts', 'Health']);
      await expect(tab.getByLabel('URL').count()).resolves.toBe(0);
      await expectAccessible('register-search-only', tab);

      await tab.goto(`${base}/admin`);
      await tab.getByText('needs the Admin permission, which searcher does not have.').waitFor();
      await expect(tab.getByRole('heading', { name: 'Create a user' }).count()).resolves.toBe(0);
      await expect(tab.getByRole('button', { name: 'Reset the registry' }).count()).resolves.toBe(0);
      await expectAccessible('admin-search-only', tab);

      await tab.goto(`${base}/browse/${encodeURIComponent(ids['child']!)}`);
      await tab.getByRole('row').filter({ hasText: 'config.json' }).waitFor();
      await tab.getByText('Downloading needs the Download permission. Uploading needs the Upload permission.').waitFor();
      await expect(tab.getByRole('button', { name: 'Download config.json' }).count()).resolves.toBe(0);
      await expect(tab.getByRole('button', { name: 'Upload a file…' }).count()).resolves.toBe(0);
      await expect(tab.getByRole('heading', { name: 'Aliases' }).count()).resolves.toBe(0);
      // Reading stays open to it: the rating's explanations.
      await tab.getByRole('button', { name: 'License why?', exact: true }).waitFor();
      await expectAccessible('artifact-search-only', tab);
    } finally {
      await tab.close();
    }
  });

  it('returns to sign-in with a message when the token is refused', async () => {
    await page.evaluate(() => sessionStorage.setItem('tmr.session', JSON.stringify({ token: 'expired-token', username: 'x', expiresAt: new Date().toISOString() })));
    await page.goto(`${base}/browse`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain('Your session ended');
    await expectAccessible('sign-in-session-ended');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/browse');
  });

  it('signs in and searches with the keyboard alone', async () => {
    const keyboard = await context.newPage();
    await keyboard.goto(`${base}/sign-in`);
    await keyboard.getByLabel('Username').waitFor();
    // The username field has focus on arrival.
    await keyboard.keyboard.type(DEFAULT_ADMIN_USERNAME);
    await keyboard.keyboard.press('Tab');
    await keyboard.keyboard.type(DEFAULT_ADMIN_PASSWORD);
    await keyboard.keyboard.press('Enter');
    await keyboard.getByRole('heading', { level: 1, name: 'Artifacts' }).waitFor();
    // Tab to the name field, type, Enter submits the search.
    for (let i = 0; i < 30; i++) {
      await keyboard.keyboard.press('Tab');
      if (await keyboard.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name === 'q')) break;
    }
    expect(await keyboard.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('q');
    await keyboard.keyboard.type('bert base uncased');
    await keyboard.keyboard.press('Enter');
    await keyboard.waitForURL(/q=bert\+base\+uncased/);
    await expect.poll(() => keyboard.getByRole('row').count()).toBe(2);
    // Tab reaches the result link and Enter opens it; focus is visible on the way.
    for (let i = 0; i < 30; i++) {
      await keyboard.keyboard.press('Tab');
      if ((await keyboard.evaluate(() => document.activeElement?.textContent)) === 'bert-base-uncased') break;
    }
    const outline = await keyboard.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await keyboard.keyboard.press('Enter');
    await keyboard.getByRole('heading', { level: 1, name: 'bert-base-uncased' }).waitFor();
    await keyboard.close();
  });
});
