import { z } from 'zod';

/**
 * Shapes of the Hugging Face Hub answers, reduced to the fields the registry reads (loose objects:
 * other fields pass through unchecked). Fields the Hub computes are checked strictly: if they change
 * shape, our reading of them is wrong and ingest must say the Hub answered unexpectedly. Fields copied
 * from the card's YAML (`cardData`, `model-index`) are written by model authors and often malformed,
 * so a bad value there is dropped rather than failing the whole ingest.
 */
const authored = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const stringOrList = z.union([z.string(), z.array(z.string())]);

const cardData = z.looseObject({
  license: authored(stringOrList),
  license_name: authored(z.string()),
  datasets: authored(stringOrList),
  base_model: authored(stringOrList),
  'model-index': z.unknown().optional(),
});

export const hubSibling = z.looseObject({
  rfilename: z.string(),
  size: z.number().optional(),
  lfs: z.looseObject({ size: z.number() }).optional(),
});

const repoCommon = {
  id: z.string().min(1),
  author: z.string().optional(),
  sha: z.string().optional(),
  private: z.boolean().optional(),
  disabled: z.boolean().optional(),
  gated: z.union([z.boolean(), z.enum(['auto', 'manual'])]).optional(),
  downloads: z.number().optional(),
  likes: z.number().optional(),
  createdAt: z.string().optional(),
  lastModified: z.string().optional(),
  tags: z.array(z.string()).optional(),
  cardData: authored(cardData),
  siblings: z.array(hubSibling).optional(),
  usedStorage: z.number().optional(),
};

export const hubModelInfoSchema = z.looseObject({
  ...repoCommon,
  pipeline_tag: z.string().optional(),
  library_name: z.string().optional(),
  'model-index': z.unknown().optional(),
  safetensors: z.looseObject({ parameters: z.record(z.string(), z.number()) }).optional(),
  config: authored(z.looseObject({ architectures: authored(z.array(z.string())), model_type: authored(z.string()) })),
});
export type HubModelInfo = z.infer<typeof hubModelInfoSchema>;

export const hubDatasetInfoSchema = z.looseObject({
  ...repoCommon,
  description: authored(z.string()),
});
export type HubDatasetInfo = z.infer<typeof hubDatasetInfoSchema>;

/** `model-index` results, counted leniently: authors write it by hand. */
export const modelIndexSchema = z
  .array(
    z.looseObject({
      results: z
        .array(z.looseObject({ metrics: z.array(z.looseObject({ value: z.unknown() })).catch([]) }))
        .catch([]),
    }),
  )
  .catch([]);

/** `config.json` of a model: an open-ended object; only a few keys are read. */
export const modelConfigSchema = z.looseObject({
  architectures: authored(z.array(z.string())),
  model_type: authored(z.string()),
  torch_dtype: authored(z.string()),
  _name_or_path: authored(z.string()),
});
export type ModelConfig = z.infer<typeof modelConfigSchema>;
