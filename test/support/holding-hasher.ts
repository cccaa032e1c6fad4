import { PasswordHasher } from '../../src/application/password-hashing.js';
import type { PasswordHash } from '../../src/domain/users/user-events.js';
import type { Result } from '../../src/domain/result.js';

/** Counts every scrypt evaluation a login asks for; once `hold()` is called, holds them until released. */
export class HoldingHasher extends PasswordHasher {
  evaluations = 0;
  private held: Promise<void> = Promise.resolve();
  private release: () => void = () => {};
  hold(): void {
    this.held = new Promise((resolve) => (this.release = resolve));
  }
  releaseAll(): void {
    this.release();
  }
  override async verify(password: string, stored: PasswordHash): Promise<Result<boolean>> {
    this.evaluations += 1;
    await this.held;
    return super.verify(password, stored);
  }
  override async verifyNobody(password: string): Promise<Result<false>> {
    this.evaluations += 1;
    await this.held;
    return super.verifyNobody(password);
  }
}
