/** The PostgreSQL error a unique index raised, if that is what this is: lets services name the duplicate field. */
export function uniqueViolation(error: unknown): string | null {
  const pg = (error as { driverError?: { code?: string; constraint?: string }; code?: string; constraint?: string }) ?? {};
  const source = pg.driverError ?? pg;
  return source.code === '23505' ? (source.constraint ?? 'unique') : null;
}
