import { builder } from './builder.js';
import './types/artifact.js';
import './types/lineage.js';
import './types/cost.js';
import './types/license-check.js';
import './types/artifact-queries.js';
import './types/artifact-mutations.js';
import './types/health.js';
import './types/users.js';
import './types/files.js';
import './types/search.js';
import './types/aliases.js';
import './types/webhooks.js';

export const schema = builder.toSchema({ sortSchema: true });
