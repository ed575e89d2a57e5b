interface PostgresFailure {
  code?: string;
  constraint?: string;
  column?: string;
}

/** TypeORM wraps the driver's error; both carry PostgreSQL's SQLSTATE code. */
function postgresFailure(error: unknown): PostgresFailure {
  const failure = (error ?? {}) as PostgresFailure & { driverError?: PostgresFailure };
  return failure.driverError ?? failure;
}

/** Request fields are the camelCase of their columns. */
const camelCase = (column: string) => column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

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

/**
 * The request field a failed foreign key refers through, from PostgreSQL's detail
 * `Key (workspace_id, team_id)=(…) is not present in table "teams".`: every reference is scoped by workspace, so
 * the other column is the one the caller chose (team_id becomes teamId). Null when the key is not a missing target.
 */
export function missingReference(error: unknown): { field: string; table: string } | null {
  const failure = postgresFailure(error) as PostgresFailure & { detail?: string };
  if (failure.code !== '23503' || typeof failure.detail !== 'string') return null;
  const match = /^Key \(([^)]+)\)=\(.*\) is not present in table "([^"]+)"/s.exec(failure.detail);
  if (!match) return null;
  const columns = match[1].split(',').map((column) => column.trim().replace(/^"|"$/g, ''));
  const column = columns.find((name) => name !== 'workspace_id') ?? columns[0];
  return { field: camelCase(column), table: match[2] };
}

/** The field a caller set to null where the column cannot hold it (a DTO let null through as "optional"). */
export function nullInRequiredColumn(error: unknown): string | null {
  const failure = postgresFailure(error);
  return failure.code === '23502' && failure.column ? camelCase(failure.column) : null;
}

/**
 * SQLSTATEs that only a value the caller sent can cause (malformed text for a type, a number out of range, text the
 * database cannot store): a validator is missing somewhere, but the request is still the caller's mistake.
 */
const INPUT_DATA_EXCEPTIONS = new Set(['22P02', '22003', '22007', '22008', '22021', '22P05', '22001', '2201X', '2201W']);

export function invalidInputValue(error: unknown): boolean {
  const code = postgresFailure(error).code;
  return code !== undefined && INPUT_DATA_EXCEPTIONS.has(code);
}
