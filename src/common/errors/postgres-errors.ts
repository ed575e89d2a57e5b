interface PostgresFailure {
  code?: string;
  constraint?: string;
}

/** TypeORM wraps the driver's error; both carry PostgreSQL's SQLSTATE code. */
function postgresFailure(error: unknown): PostgresFailure {
  const failure = (error ?? {}) as PostgresFailure & { driverError?: PostgresFailure };
  return failure.driverError ?? failure;
}

/** The PostgreSQL error a unique index raised, if that is what this is: lets services name the duplicate field. */
export function uniqueViolation(error: unknown): string | null {
  const failure = postgresFailure(error);
  return failure.code === '23505' ? (failure.constraint ?? 'unique') : null;
}

/** A foreign key refused the change: something still refers to the row being deleted (or referred to is gone). */
export function foreignKeyViolation(error: unknown): boolean {
  return postgresFailure(error).code === '23503';
}

/** PostgreSQL cancelled the statement: it ran past statement_timeout (or was cancelled on purpose). */
export function queryCanceled(error: unknown): boolean {
  return postgresFailure(error).code === '57014';
}
