import { appError, err, ok, type Result } from '../domain/result.js';

/**
 * Download URLs one request may still issue. Each URL appends a download event, and a list can hold
 * more files than the document analysis could know, so the resolvers take from this exact counter.
 */
export class DownloadUrlBudget {
  private issued = 0;

  constructor(readonly max: number) {}

  take(): Result<true> {
    if (this.issued >= this.max) {
      return err(appError('QUERY_TOO_COMPLEX', `one request may issue at most ${this.max} download URLs; ask for fewer files, or for the artifact's downloadUrl (one zip)`, { limit: this.max, limitName: 'maxDownloadUrls' }));
    }
    this.issued += 1;
    return ok(true);
  }
}
