import { InvalidTransition, ResourceNotFound, TicketClosed, VersionConflict } from '../../../common/errors/domain-errors';
import { TicketEntity } from '../../entities/ticket.entity';
import { allowedNextStatuses, canTransition } from '../../ticket-lifecycle';
import { TicketChangeSet } from '../../ticket-change-set';

/** The If-Match the caller sent: its raw text for the error, and the version it names. */
export interface ExpectedVersion {
  raw: string;
  version: number;
}

/**
 * The check step's rules that need only the locked row: it exists, the caller saw its current version, it is not
 * closed, and the status may move as asked. References (team, agent) are checked against their modules next.
 */
export function checkTicketChange(ticket: TicketEntity | null, id: string, input: TicketChangeSet, expectedVersion?: ExpectedVersion): asserts ticket is TicketEntity {
  if (!ticket) throw new ResourceNotFound('ticket', id);
  if (expectedVersion && expectedVersion.version !== ticket.version) throw new VersionConflict(expectedVersion.raw, ticket.version);
  if (ticket.status === 'closed') throw new TicketClosed(Number(ticket.number));
  if (input.status !== undefined && input.status !== ticket.status && !canTransition(ticket.status, input.status)) {
    throw new InvalidTransition(ticket.status, input.status, allowedNextStatuses(ticket.status));
  }
}
