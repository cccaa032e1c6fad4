import type { Clock } from '../../src/application/clock.js';

/** A clock tests move by hand. */
export class TestClock implements Clock {
  constructor(private current = Date.now()) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
