import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HF_ORIGIN, type FixtureReplay } from './fixture-replay.js';

const MODELS = fileURLToPath(new URL('../fixtures/huggingface/models/', import.meta.url));

/**
 * The pack records no parent of any recorded child (COVERAGE.md), so lineage tests serve a parent
 * synthesized by transformation: the recorded child's model info, renamed to the parent's id, with
 * every base_model declaration removed (a parent declares no parent), and the child's recorded card
 * served as the parent's card. Everything else (license, files, datasets, sizes) is the child's
 * recording, so the parent passes the ingest gate exactly as the child does. Only these two URLs
 * are added; every other request still replays recordings.
 */
export function routeSyntheticParent(replay: FixtureReplay, childId: string, parentId: string): void {
  const file = childId.replace('/', '__');
  const info = JSON.parse(readFileSync(`${MODELS}${file}.json`, 'utf8')) as Record<string, unknown> & { cardData?: Record<string, unknown>; tags?: string[] };
  const [author] = parentId.split('/');
  const { base_model: _dropped, ...cardData } = info.cardData ?? {};
  const parent = {
    ...info,
    id: parentId,
    modelId: parentId,
    author,
    cardData,
    tags: (info.tags ?? []).filter((tag) => !tag.startsWith('base_model:')),
  };
  replay.route(`${HF_ORIGIN}/api/models/${parentId}?blobs=true`, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(parent) });
  const card = readFileSync(`${MODELS}${file}.README.md`, 'utf8').replace(/^base_model:.*\n(?:\s*-.*\n)*/m, '');
  replay.route(`${HF_ORIGIN}/${parentId}/raw/main/README.md`, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: card });
}
