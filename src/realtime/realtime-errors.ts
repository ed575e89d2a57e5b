import { DomainError } from '../common/errors/domain-errors';

/** The events after this cursor were partly deleted by retention: reading on would skip some, so the reader must resync. */
export class CursorExpired extends DomainError {
  readonly status = 410;
  readonly code = 'cursor_expired';
  readonly title = 'Cursor Expired';
  constructor(retentionDays: number, oldestCursor: string) {
    super(
      `Events after this cursor are older than the ${retentionDays}-day retention and have been deleted. ` +
        `Resynchronise from the resources themselves, then follow the feed again from oldestCursor (or without a cursor).`,
    );
    this.extensions.oldestCursor = oldestCursor;
  }
}
