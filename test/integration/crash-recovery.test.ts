import { createHash } from 'node:crypto';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultAdminToken, errorCode, postGraphQL, postMultipart, type GraphQLResponse } from '../support/registry-harness.js';
import { CLEAN_SHUTDOWN_FILE } from '../../src/server/crash-repair.js';
import { BY_URL, DELETE, GET, HISTORY, INGEST, LIST, UPDATE, type ArtifactPage, type ArtifactView } from '../support/operations.js';
import { startServerChild, type ServerChild } from '../support/child-registry.js';
import { startReplayServers, type ReplayServers } from '../support/replay-server.js';

/**
 * `npm start` killed with SIGKILL at random (seeded) moments while it serves concurrent ingests,
 * updates, file uploads and deletions, then started again on the same DATA_DIR: every write it
 * acknowledged must be visible through the API with no manual step (issue 13, item 4).
 */
const ROUNDS = Number(process.env['CRASH_ROUNDS'] ?? 4);
const SEED = Number(process.env['CRASH_SEED'] ?? 13);
const WORKERS = 4;
const OPS_PER_WORKER = 30;
/** The kill lands this long after the workload starts: early (mid-first-writes) to late. */
const KILL_AFTER_MS = { min: 150, max: 2_500 };
/** Start-up compiles the entry point and hashes the admin password: slow on a busy machine, never asserted. */
const TEST_TIMEOUT_MS = 900_000;

/** mulberry32: a tiny seeded PRNG, so a failing run can be replayed with CRASH_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Child = ServerChild;

const startChild = startServerChild;

function exitOf(child: Child, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    child.process.removeAllListeners('exit');
    child.process.once('exit', (code) => resolve(code));
    child.process.kill(signal);
  });
}

/** What the client was told: only acknowledged writes are promised. */
interface Known {
  readonly url: string;
  version: number;
  deleted: boolean;
  /** A delete was sent and never answered (the kill came first): it may have committed. */
  deleteUnanswered: boolean;
  readonly files: Map<string, string>;
}

const UPLOAD = 'mutation($input: UploadFileInput!) { uploadFile(input: $input) { file { path sha256 } } }';
const FILES = 'query($id: ID!) { artifact(id: $id) { version files { path sha256 } } }';

class Workload {
  readonly known = new Map<string, Known>();
  /** Ingests sent but never answered (the kill came first): committed or not, nobody knows. */
  readonly unanswered = new Set<string>();
  /** URLs whose artifact was acknowledged as deleted: a new ingest must get them. */
  readonly freed = new Set<string>();
  /** Answers that are neither success nor a stale-version CONFLICT: none are expected. */
  readonly surprises: string[] = [];
  /** Deletes the kill left unanswered that turned out committed (reported, not a violation). */
  unansweredDeletesCommitted = 0;
  private counter = 0;

  constructor(private readonly random: () => number) {}

  /** One client: a random mix of operations on its own artifacts until the server dies. */
  async worker(url: string, token: string, round: number, worker: number): Promise<void> {
    const mine: string[] = [];
    for (let op = 0; op < OPS_PER_WORKER; op++) {
      const live = mine.filter((id) => !this.known.get(id)!.deleted);
      const roll = this.random();
      try {
        if (live.length === 0 || roll < 0.3) {
          const target = `https://gitlab.com/crash-r${round}/w${worker}-${++this.counter}`;
          this.unanswered.add(target);
          const r = await postGraphQL<{ ingestArtifact: { artifact: ArtifactView } }>(url, INGEST, { input: { type: 'CODE', url: target } }, token);
          this.unanswered.delete(target);
          if (!this.accept(r, 'ingest')) continue;
          const { id } = r.data!.ingestArtifact.artifact;
          this.known.set(id, { url: target, version: 1, deleted: false, deleteUnanswered: false, files: new Map() });
          mine.push(id);
        } else {
          const id = live[Math.floor(this.random() * live.length)]!;
          const state = this.known.get(id)!;
          if (roll < 0.6) {
            const r = await postGraphQL<{ updateArtifact: { artifact: ArtifactView } }>(url, UPDATE, { input: { id, expectedVersion: state.version, name: `n${op}-${round}` } }, token);
            if (this.accept(r, 'update')) state.version = r.data!.updateArtifact.artifact.version;
          } else if (roll < 0.93) {
            const bytes = Buffer.from(`round ${round} worker ${worker} op ${op} ${this.random()}`);
            const filePath = `f${op}.txt`;
            const r = await postMultipart<{ uploadFile: { file: { path: string; sha256: string } } }>(url, UPLOAD, { input: { artifactId: id, path: filePath, file: null } }, { 'input.file': bytes }, token);
            if (this.accept(r, 'upload')) {
              state.files.set(filePath, createHash('sha256').update(bytes).digest('hex'));
              state.version += 1;
            }
          } else {
            state.deleteUnanswered = true;
            const r = await postGraphQL(url, DELETE, { input: { id, expectedVersion: state.version } }, token);
            state.deleteUnanswered = false;
            if (this.accept(r, 'delete')) {
              state.deleted = true;
              this.freed.add(state.url);
            }
          }
        }
      } catch {
        return; // The server died under this request: its outcome is unknown, and that is allowed.
      }
    }
  }

  private accept(r: GraphQLResponse<unknown>, what: string): boolean {
    if (!r.errors) return true;
    // A write killed before its answer may have committed: the next one on that artifact is stale.
    if (errorCode(r) !== 'CONFLICT') this.surprises.push(`${what}: ${JSON.stringify(r.errors)}`);
    return false;
  }
}

interface Violations {
  readonly lines: string[];
}

/** The invariants of issue 13 item 4, through the API only. Also brings `known` up to the committed versions. */
async function checkInvariants(url: string, token: string, load: Workload): Promise<Violations> {
  const lines: string[] = [];
  const gql = <T>(query: string, variables: Record<string, unknown>) => postGraphQL<T>(url, query, variables, token);

  const listed: string[] = [];
  let after: string | null = null;
  do {
    const page: GraphQLResponse<ArtifactPage> = await gql<ArtifactPage>(LIST, { first: 100, after });
    listed.push(...page.data!.artifacts.edges.map((edge) => edge.node.id));
    after = page.data!.artifacts.pageInfo.hasNextPage ? page.data!.artifacts.pageInfo.endCursor : null;
  } while (after);
  const listedSet = new Set(listed);

  for (const [id, state] of load.known) {
    if (state.deleted) continue;
    const read = await gql<{ artifact: { version: number; files: { path: string; sha256: string }[] } | null }>(FILES, { id });
    const artifact = read.data?.artifact;
    if (!artifact && state.deleteUnanswered) {
      // The unanswered delete committed: then its URL is free, which the claim check below verifies.
      state.deleted = true;
      load.freed.add(state.url);
      load.unansweredDeletesCommitted += 1;
      continue;
    }
    state.deleteUnanswered = false;
    if (!artifact) {
      lines.push(`acknowledged ${id} (${state.url}) is not readable by id`);
      continue;
    }
    if (artifact.version < state.version) lines.push(`${id} is at version ${artifact.version}, ${state.version} was acknowledged`);
    for (const [filePath, sha] of state.files) {
      if (!artifact.files.some((file) => file.path === filePath && file.sha256 === sha)) lines.push(`${id}: acknowledged file ${filePath} is missing`);
    }
    const byUrl = await gql<{ artifactByUrl: ArtifactView | null }>(BY_URL, { url: state.url });
    if (byUrl.data?.artifactByUrl?.id !== id) lines.push(`${state.url} does not find ${id} (found ${byUrl.data?.artifactByUrl?.id})`);
    if (!listedSet.has(id)) lines.push(`${id} is missing from the listing`);
    const history = await gql<{ artifact: { history: { edges: { node: { version: number } }[] } } }>(HISTORY, { id, first: 100 });
    const versions = history.data!.artifact.history.edges.map((edge) => edge.node.version);
    const expected = Array.from({ length: artifact.version }, (_, i) => i + 1);
    if (JSON.stringify(versions) !== JSON.stringify(expected)) lines.push(`${id}: history versions ${versions.join(',')} for version ${artifact.version}`);
    // Writes committed but never answered count too: later updates must send the committed version.
    state.version = artifact.version;
  }

  for (const id of listed) {
    const read = await gql<{ artifact: ArtifactView | null }>(GET, { id });
    if (!read.data?.artifact) lines.push(`listing returns ${id}, which artifact(id) cannot read`);
  }

  // No URL is held without a live holder: a freed URL can be ingested again; an unanswered ingest
  // either committed (its URL finds a readable artifact) or left the URL free.
  for (const target of [...load.freed, ...load.unanswered]) {
    // Read before writing: a refused ingest repairs its holder's projection on the way.
    const before = (await gql<{ artifactByUrl: ArtifactView | null }>(BY_URL, { url: target })).data?.artifactByUrl ?? null;
    if (before && !(await gql<{ artifact: ArtifactView | null }>(GET, { id: before.id })).data?.artifact) {
      lines.push(`${target} finds ${before.id}, which artifact(id) cannot read`);
    }
    const again = await gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type: 'CODE', url: target } });
    if (again.data?.ingestArtifact) {
      load.known.set(again.data.ingestArtifact.artifact.id, { url: target, version: 1, deleted: false, deleteUnanswered: false, files: new Map() });
    } else if (load.freed.has(target) || errorCode(again) !== 'CONFLICT') {
      lines.push(`a new ingest of ${target} answered ${JSON.stringify(again.errors)}`);
    } else if (!before) {
      lines.push(`${target} is claimed (ingest CONFLICT), but artifactByUrl finds no artifact holding it`);
    } else if (!load.known.has(before.id)) {
      load.known.set(before.id, { url: target, version: before.version, deleted: false, deleteUnanswered: false, files: new Map() });
    }
  }
  load.freed.clear();
  load.unanswered.clear();
  return { lines };
}

let upstream: ReplayServers;
/** The child of the running attempt: killed after each, so a failed attempt leaves nothing behind. */
let running: Child | undefined;
const dataDirs: string[] = [];
beforeAll(async () => {
  upstream = await startReplayServers();
});
afterEach(() => {
  running?.process.kill('SIGKILL');
  running = undefined;
});
afterAll(async () => {
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  await upstream.close();
});

describe('npm start killed with SIGKILL under load', () => {
  it(`heals on restart with no manual step (${ROUNDS} rounds, seed ${SEED})`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'registry-crash-'));
    dataDirs.push(dataDir);
    const env = { DATA_DIR: dataDir, HF_ENDPOINT: upstream.hfEndpoint, GITHUB_API_URL: upstream.githubApiUrl };
    const random = prng(SEED);
    const load = new Workload(random);
    let child = (running = await startChild(env));
    // Tokens live in the table and survive the kills: one login per start (production scrypt is slow).
    let token = await defaultAdminToken(child.url);
    const summaries: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const killAfter = KILL_AFTER_MS.min + Math.floor(random() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min));
      const workers = Array.from({ length: WORKERS }, (_, w) => load.worker(child.url, token, round, w));
      await new Promise((resolve) => setTimeout(resolve, killAfter));
      await exitOf(child, 'SIGKILL');
      await Promise.all(workers);

      child = running = await startChild(env);
      const repaired = child.output().split('\n').filter((line) => line.startsWith('repair:')).at(-1) ?? '(no repair pass)';
      summaries.push(`round ${round}: killed after ${killAfter} ms, ${load.known.size} artifacts acknowledged so far, ${load.unansweredDeletesCommitted} unanswered deletes found committed; ${repaired}`);
      token = await defaultAdminToken(child.url);
      const { lines } = await checkInvariants(child.url, token, load);
      expect(lines, `round ${round} (seed ${SEED})`).toEqual([]);
    }
    console.log(summaries.join('\n'));
    expect(load.surprises).toEqual([]);
    // A clean stop leaves the marker, so the next start skips the pass.
    expect(await exitOf(child, 'SIGTERM')).toBe(0);
    await access(path.join(dataDir, CLEAN_SHUTDOWN_FILE));
  });
});
