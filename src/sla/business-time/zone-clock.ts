import { IANAZone } from 'luxon';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

// A zone's offset history is discovered lazily in chunks and shared by every calendar using the
// zone: asking luxon for an offset costs microseconds, a cached lookup nanoseconds. Offsets are
// sampled once a day (since 1970 no zone has changed its offset twice within a week) and each change
// is then located to the second by bisection.
const CHUNK_DAYS = 32;
const CHUNK_MS = CHUNK_DAYS * DAY_MS;

interface OffsetChange {
  at: number;
  offsetMs: number;
}

interface OffsetChunk {
  initialOffsetMs: number;
  changes: OffsetChange[];
}

/**
 * Converts between instants (epoch ms) and wall-clock times of one IANA zone.
 * A wall time is the local date and time written as milliseconds since 1970-01-01T00:00 local.
 */
export class ZoneClock {
  private static readonly byZone = new Map<string, ZoneClock>();

  static forZone(timezone: string): ZoneClock {
    let clock = ZoneClock.byZone.get(timezone);
    if (!clock) {
      clock = new ZoneClock(IANAZone.create(timezone));
      ZoneClock.byZone.set(timezone, clock);
    }
    return clock;
  }

  private readonly chunks = new Map<number, OffsetChunk>();
  // Consecutive lookups nearly always hit the same chunk.
  private recentChunkIndex = Number.NaN;
  private recentChunk: OffsetChunk | undefined;

  private constructor(private readonly zone: IANAZone) {}

  offsetAt(instant: number): number {
    const chunk = this.chunkAt(Math.floor(instant / CHUNK_MS));
    let offset = chunk.initialOffsetMs;
    for (const change of chunk.changes) {
      if (change.at > instant) break;
      offset = change.offsetMs;
    }
    return offset;
  }

  wallTimeOf(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  /**
   * A wall time repeated when clocks go back resolves to its first occurrence; a wall time
   * skipped when clocks go forward resolves to the instant of the jump, so the mapping never
   * runs backwards and an interval keeps only the real time it actually covers. (luxon's
   * DateTime.fromObject is not used because it resolves a repeated wall time with the offset in
   * effect at the current date, so its answer would depend on when the code runs.)
   */
  instantOf(wallTime: number): number {
    const offsetBefore = this.offsetAt(wallTime - DAY_MS);
    const earliest = wallTime - offsetBefore;
    if (this.offsetAt(earliest) === offsetBefore) return earliest;

    const offsetAfter = this.offsetAt(wallTime + DAY_MS);
    const latest = wallTime - offsetAfter;
    if (this.offsetAt(latest) === offsetAfter) return latest;

    return this.firstChangeWithin(latest, wallTime + DAY_MS) ?? latest;
  }

  /** The first instant in [from, to] at which the offset changes. */
  firstChangeWithin(from: number, to: number): number | undefined {
    const lastChunk = Math.floor(to / CHUNK_MS);
    for (let index = Math.floor(from / CHUNK_MS); index <= lastChunk; index++) {
      for (const change of this.chunkAt(index).changes) {
        if (change.at > to) return undefined;
        if (change.at >= from) return change.at;
      }
    }
    return undefined;
  }

  private chunkAt(index: number): OffsetChunk {
    if (index === this.recentChunkIndex && this.recentChunk) return this.recentChunk;
    let chunk = this.chunks.get(index);
    if (!chunk) {
      chunk = this.discoverChunk(index);
      this.chunks.set(index, chunk);
    }
    this.recentChunkIndex = index;
    this.recentChunk = chunk;
    return chunk;
  }

  private discoverChunk(index: number): OffsetChunk {
    const chunkStart = index * CHUNK_MS;
    const initialOffsetMs = this.queryOffset(chunkStart);
    const changes: OffsetChange[] = [];
    let sampledAt = chunkStart;
    let sampledOffset = initialOffsetMs;
    for (let day = 1; day <= CHUNK_DAYS; day++) {
      const nextSampleAt = chunkStart + day * DAY_MS;
      const nextOffset = this.queryOffset(nextSampleAt);
      if (nextOffset !== sampledOffset) {
        changes.push({ at: this.locateChange(sampledAt, nextSampleAt, sampledOffset), offsetMs: nextOffset });
      }
      sampledAt = nextSampleAt;
      sampledOffset = nextOffset;
    }
    return { initialOffsetMs, changes };
  }

  /** First whole second in (before, after] whose offset differs from offsetBefore. */
  private locateChange(before: number, after: number, offsetBefore: number): number {
    let lowSecond = Math.floor(before / 1000);
    let highSecond = Math.ceil(after / 1000);
    while (highSecond - lowSecond > 1) {
      const middle = Math.floor((lowSecond + highSecond) / 2);
      if (this.queryOffset(middle * 1000) === offsetBefore) lowSecond = middle;
      else highSecond = middle;
    }
    return highSecond * 1000;
  }

  private queryOffset(instant: number): number {
    return Math.round(this.zone.offset(instant) * MINUTE_MS);
  }
}
