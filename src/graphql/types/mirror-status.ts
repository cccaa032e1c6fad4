import type { MirrorStatus } from '../../domain/artifact-files.js';
import { builder } from '../builder.js';

const MirrorStateEnum = builder.enumType('MirrorState', {
  description: 'Where a mirrorArtifactFiles call stands.',
  values: {
    RUNNING: { description: 'Copying; the counts grow as files finish.' },
    COMPLETED: { description: 'Every chosen file was copied and recorded.' },
    FAILED: { description: 'Stopped: `error` says why. Files copied before the failure stay recorded.' },
  } as const,
});

export const MirrorStatusRef = builder.objectRef<MirrorStatus>('MirrorStatus').implement({
  description: 'Progress of the last mirrorArtifactFiles call.',
  fields: (t) => ({
    state: t.field({ type: MirrorStateEnum, description: 'Running, completed or failed.', resolve: (status) => status.state }),
    filesDone: t.exposeInt('filesDone', { description: 'Files copied and recorded so far.' }),
    filesTotal: t.exposeInt('filesTotal', { description: 'Files the call chose to copy (those matching `include`), at most 1,000.' }),
    bytesDone: t.field({ type: 'Bytes', description: 'Bytes copied so far.', resolve: (status) => status.bytesDone }),
    error: t.exposeString('error', { nullable: true, description: 'Why the mirror failed; null unless FAILED.' }),
  }),
});
