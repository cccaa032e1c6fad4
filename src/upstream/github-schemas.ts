import { z } from 'zod';

/** GitHub REST answers, reduced to the fields the registry reads (loose objects). */
export const githubRepoSchema = z.looseObject({
  full_name: z.string(),
  html_url: z.string().optional(),
  description: z.string().nullable().optional(),
  stargazers_count: z.number().optional(),
  forks_count: z.number().optional(),
  archived: z.boolean().optional(),
  pushed_at: z.string().nullable().optional(),
  default_branch: z.string().optional(),
  /** Kilobytes. */
  size: z.number().optional(),
  license: z.looseObject({ spdx_id: z.string().nullable().optional(), key: z.string().optional() }).nullable().optional(),
});
export type GitHubRepo = z.infer<typeof githubRepoSchema>;

/** `/readme` and `/license`: the file, base64-encoded, plus (for /license) what GitHub detected. */
export const githubFileSchema = z.looseObject({
  path: z.string(),
  content: z.string(),
  encoding: z.string(),
  html_url: z.string().nullable().optional(),
  license: z.looseObject({ spdx_id: z.string().nullable().optional(), name: z.string().optional() }).nullable().optional(),
});

export const githubContributorsSchema = z.array(
  z.looseObject({ login: z.string().optional(), name: z.string().optional(), contributions: z.number() }),
);

export const githubCommitsSchema = z.array(
  z.looseObject({
    sha: z.string(),
    parents: z.array(z.looseObject({ sha: z.string() })),
    author: z.looseObject({ login: z.string() }).nullable().optional(),
    commit: z.looseObject({
      message: z.string(),
      author: z.looseObject({ name: z.string().optional() }).nullable().optional(),
    }),
  }),
);

export const githubReviewsSchema = z.array(
  z.looseObject({ user: z.looseObject({ login: z.string() }).nullable().optional(), state: z.string() }),
);
