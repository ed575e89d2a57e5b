/**
 * `tickets.sla_next_due_at`, which the SLA clocks keep ('infinity' when nothing runs) so the queue can sort and filter
 * on an indexed column. Its value as epoch milliseconds keeps cursors simple; tickets without a running SLA sort last.
 */
export const TICKET_SLA_NEXT_DUE_SQL = `CASE WHEN t.sla_next_due_at = 'infinity' THEN 9000000000000000 ELSE (EXTRACT(EPOCH FROM t.sla_next_due_at) * 1000)::bigint END`;
export const NO_SLA_DUE = 9_000_000_000_000_000;

/** A cursor's epoch milliseconds as the timestamptz literal compared with `tickets.sla_next_due_at`. */
export function slaDueCursorValue(epochMs: number): string {
  return epochMs >= NO_SLA_DUE ? 'infinity' : new Date(epochMs).toISOString();
}
