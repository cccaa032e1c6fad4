import { describe, expect, it } from 'vitest';
import { dataDirFailure } from '../../src/server/data-dir-lock.js';
import { listenFailure } from '../../src/server/listen-failure.js';

/**
 * The errno mappings the start-up tests cannot provoke on every machine (a read-only mount, a full
 * disk, a privileged port as root); test/integration/startup-errors.test.ts covers the others end to end.
 */
const systemError = (code: string) => Object.assign(new Error(code), { code });

describe('start-up failure messages', () => {
  it('names DATA_DIR and the fix for each file-system refusal', () => {
    expect(dataDirFailure('/mnt/ro', systemError('EROFS')).message).toBe('DATA_DIR=/mnt/ro is on a read-only file system; set DATA_DIR to a writable directory (it is created if missing)');
    expect(dataDirFailure('/full', systemError('ENOSPC')).message).toContain('no space left on the device of DATA_DIR=/full; free some space');
    expect(dataDirFailure('/x', new Error('odd')).message).toBe('DATA_DIR=/x cannot be used (odd); set DATA_DIR to a writable directory (it is created if missing)');
  });

  it('names PORT or HOST and the fix for each bind refusal, and leaves other errors alone', () => {
    expect(listenFailure(systemError('EACCES'), '0.0.0.0', 80)?.message).toBe('port 80 needs privileges this user does not have; set PORT to 1024 or above');
    expect(listenFailure(systemError('EADDRNOTAVAIL'), '10.9.9.9', 4000)?.message).toContain('HOST=10.9.9.9 is not an address of this machine; set HOST to');
    expect(listenFailure(new Error('boom'), '127.0.0.1', 4000)).toBeUndefined();
  });
});
