/**
 * The one source of "now" for business logic, so that tests can move time forward instead of sleeping and
 * background jobs and requests agree on the time. Inject `Clock`; never call `new Date()` for domain time.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * A clock that only moves when told to; selected with CLOCK=manual for tests and demos. It starts at the
 * moment it is created.
 */
export class ManualClock extends Clock {
  private current: number;

  constructor(start: Date = new Date()) {
    super();
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: Date | string): void {
    const millis = new Date(instant).getTime();
    if (!Number.isFinite(millis)) throw new RangeError(`Not an instant: ${String(instant)}`);
    this.current = millis;
  }

  advance(millis: number): void {
    this.current += millis;
  }
}
