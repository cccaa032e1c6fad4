import type { MirrorStatus } from '../../domain/artifact-files.js';
import { builder } from '../builder.js';

const MirrorStateEnum = builder.enumType('MirrorState', { values: ['RUNNING', 'COMPLETED', 'FAILED'] as const });

export const MirrorStatusRef = builder.objectRef<MirrorStatus>('MirrorStatus').implement({
  description: 'Progress of the last mirrorArtifactFiles call.',
  fields: (t) => ({
    state: t.field({ type: MirrorStateEnum, resolve: (status) => status.state }),
    filesDone: t.exposeInt('filesDone'),
    filesTotal: t.exposeInt('filesTotal'),
    bytesDone: t.field({ type: 'Bytes', resolve: (status) => status.bytesDone }),
    error: t.exposeString('error', { nullable: true }),
  }),
});
