/** A GitHub repository a model card links to as the model's code. */
export interface CodeLink {
  readonly owner: string;
  readonly repo: string;
  readonly url: string;
}

/**
 * Frameworks cards link to for installation, not the model's own code: linking transformers says
 * nothing about who maintains this model.
 */
const FRAMEWORKS = new Set([
  'huggingface/transformers',
  'huggingface/diffusers',
  'huggingface/huggingface_hub',
  'huggingface/datasets',
  'huggingface/accelerate',
  'huggingface/peft',
  'huggingface/optimum',
  'huggingface/tokenizers',
  'huggingface/trl',
  'huggingface/safetensors',
  'huggingface/text-generation-inference',
  'huggingface/transformers.js',
  'pytorch/pytorch',
  'tensorflow/tensorflow',
  'google/jax',
  'microsoft/onnxruntime',
  'ggerganov/llama.cpp',
  'ggml-org/llama.cpp',
  'ukplab/sentence-transformers',
]);

/** Path segments under github.com that are site pages, not owners. */
const NOT_OWNERS = new Set(['orgs', 'sponsors', 'features', 'topics', 'marketplace', 'settings', 'apps', 'about', 'login', 'site', 'collections', 'notifications']);

/**
 * The code repository of a model, from the GitHub links in its card: links owned by the model's Hub
 * author (or named like the model) first, then the first other non-framework link.
 */
export function findCodeLink(cardText: string, hubAuthor: string | undefined, modelName: string): CodeLink | undefined {
  const seen = new Map<string, CodeLink>();
  const pattern = /https?:\/\/(?:www\.)?github\.com\/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9_.-]+)/g;
  for (let match = pattern.exec(cardText); match; match = pattern.exec(cardText)) {
    const owner = match[1]!;
    const repo = match[2]!.replace(/\.git$/i, '').replace(/[.]+$/, '');
    const key = `${owner}/${repo}`.toLowerCase();
    if (!repo || NOT_OWNERS.has(owner.toLowerCase()) || FRAMEWORKS.has(key) || seen.has(key)) continue;
    seen.set(key, { owner, repo, url: `https://github.com/${owner}/${repo}` });
  }
  const links = [...seen.values()];
  const author = hubAuthor?.toLowerCase();
  const name = modelName.toLowerCase();
  const own = links.find((link) => link.owner.toLowerCase() === author || (link.repo.length >= 3 && (name.includes(link.repo.toLowerCase()) || link.repo.toLowerCase().includes(name))));
  return own ?? links[0];
}
