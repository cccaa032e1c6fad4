import type { GatedAccess } from './rating/model-evidence.js';

/**
 * README text is stored up to this many UTF-8 bytes: it travels in the registration event and the
 * artifact's detail item, and a DynamoDB item is capped at 400 KB.
 */
export const MAX_README_BYTES = 100_000;

/** Whether the source had a README and how much of it the registry kept. */
export type ReadmeSummary =
  | { readonly status: 'present'; readonly length: number; readonly truncated: boolean }
  | { readonly status: 'absent' }
  | { readonly status: 'unavailable' };

/**
 * What the registry learned about an artifact from its source when it was ingested. Stored in the
 * registration event and, minus the README text, in the artifact's projection, so that later
 * features (lineage, linked datasets and code, cost, license checks) read it without refetching.
 */
export type ArtifactMetadata =
  | {
      readonly source: 'huggingface-model';
      readonly repoId: string;
      readonly sha?: string;
      readonly author?: string;
      readonly license?: string;
      readonly licenseName?: string;
      readonly downloads: number;
      readonly likes: number;
      readonly lastModified?: string;
      readonly gated: GatedAccess;
      readonly pipelineTag?: string;
      readonly libraryName?: string;
      readonly tags: readonly string[];
      readonly datasets: readonly string[];
      readonly baseModels: readonly string[];
      readonly codeUrl?: string;
      /** Bytes of one copy of the weights, when known, and how it was determined. */
      readonly sizeBytes?: number;
      readonly sizeSource?: string;
      readonly usedStorageBytes?: number;
      readonly readme: ReadmeSummary;
    }
  | {
      readonly source: 'huggingface-dataset';
      readonly repoId: string;
      readonly sha?: string;
      readonly author?: string;
      readonly license?: string;
      readonly downloads: number;
      readonly likes: number;
      readonly lastModified?: string;
      readonly gated: GatedAccess;
      readonly tags: readonly string[];
      readonly description?: string;
      /** The Hub's storage for the dataset repository. */
      readonly sizeBytes?: number;
      readonly readme: ReadmeSummary;
    }
  | {
      readonly source: 'github';
      readonly fullName: string;
      readonly description?: string;
      readonly license?: string;
      readonly stars: number;
      readonly forks: number;
      readonly archived: boolean;
      readonly pushedAt?: string;
      readonly defaultBranch?: string;
      readonly sizeBytes?: number;
      readonly readme: ReadmeSummary;
    }
  | {
      /** A host the registry cannot read through an API (Kaggle, a lab's web page ...): the URL is all it knows. */
      readonly source: 'other';
      readonly host: string;
      readonly readme: ReadmeSummary;
    };

export type MetadataSource = ArtifactMetadata['source'];

/** README text as stored: capped at a character boundary, with the summary saying whether it was cut. */
export function capReadme(text: string): { text: string; summary: ReadmeSummary } {
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.byteLength <= MAX_README_BYTES) return { text, summary: { status: 'present', length: text.length, truncated: false } };
  // Cutting bytes may split a character; the decoder marks the torn tail with U+FFFD, dropped here.
  const kept = encoded.subarray(0, MAX_README_BYTES).toString('utf8').replace(/\uFFFD+$/, '');
  return { text: kept, summary: { status: 'present', length: text.length, truncated: true } };
}

/** Long upstream lists (tags, datasets) are cut to keep the projection item small. */
export const capList = (items: readonly string[], max: number): string[] => items.slice(0, max).map((item) => item.slice(0, 200));
