import { ValidationFailed } from '../common/errors/domain-errors';
import { isUuid } from '../common/ids';
import { ParsedSearch, SearchFilter } from './search-query';

/** Binds a value as the next positional parameter and returns its placeholder. */
export type BindParameter = (value: unknown) => string;

export interface SearchSqlContext {
  /** The caller's agent, for `assignee:me`; undefined where the caller is not known to the query. */
  agentId: string | null | undefined;
  /** SQL that is true when the ticket's search document (agents' or requester-facing) matches the tsquery expression. */
  matches: (tsquery: string) => string;
  field?: string;
}

export const TEXT_SEARCH_CONFIG = `'english'::regconfig`;

export function tsquery(bind: BindParameter, text: string): string {
  return `websearch_to_tsquery(${TEXT_SEARCH_CONFIG}, ${bind(text)})`;
}

const likePattern = (value: string) => `%${value.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

function nextDay(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

function predicate(filter: SearchFilter, bind: BindParameter, context: SearchSqlContext): string {
  switch (filter.kind) {
    case 'status':
      return `t.status = ANY(${bind(filter.values)}::text[])`;
    case 'priority':
      return `t.priority = ANY(${bind(filter.values)}::text[])`;
    case 'tag':
      return `t.tags @> ARRAY[${bind(filter.value)}]::text[]`;
    case 'assignee':
      if (filter.value === 'none') return 't.assignee_id IS NULL';
      if (filter.value === 'me') {
        if (!context.agentId) {
          throw ValidationFailed.field(context.field ?? 'q', context.agentId === undefined
            ? 'assignee:me is answered by /v1/search; here use assigneeId'
            : 'assignee:me needs a caller acting as an agent; this key is not bound to one');
        }
        return `t.assignee_id = ${bind(context.agentId)}::uuid`;
      }
      return `t.assignee_id = ${bind(filter.value)}::uuid`;
    case 'team':
      if (filter.value.toLowerCase() === 'none') return 't.team_id IS NULL';
      return `t.team_id IN (SELECT tm_q.id FROM teams tm_q WHERE tm_q.workspace_id = t.workspace_id AND tm_q.name = ${bind(filter.value)}::citext)`;
    case 'org':
      if (filter.value.toLowerCase() === 'none') return 't.organization_id IS NULL';
      if (isUuid(filter.value)) return `t.organization_id = ${bind(filter.value.toLowerCase())}::uuid`;
      return `t.organization_id IN (SELECT o_q.id FROM organizations o_q WHERE o_q.workspace_id = t.workspace_id AND o_q.name = ${bind(filter.value)}::citext)`;
    case 'requester': {
      const pattern = bind(likePattern(filter.value));
      return `(c.email::text ILIKE ${pattern} OR c.name ILIKE ${pattern})`;
    }
    case 'created': {
      // Dates are UTC days: created>2026-01-01 means from 2026-01-02T00:00Z on.
      const at = (date: string) => `${bind(date)}::timestamptz`;
      if (filter.comparison === '>') return `t.created_at >= ${at(nextDay(filter.date))}`;
      if (filter.comparison === '>=') return `t.created_at >= ${at(filter.date)}`;
      if (filter.comparison === '<') return `t.created_at < ${at(filter.date)}`;
      if (filter.comparison === '<=') return `t.created_at < ${at(nextDay(filter.date))}`;
      return `(t.created_at >= ${at(filter.date)} AND t.created_at < ${at(nextDay(filter.date))})`;
    }
    case 'number':
      return `t.number = ${bind(filter.value)}::bigint`;
  }
}

/**
 * WHERE conditions for a parsed query over `tickets t JOIN contacts c` (the requester). The text part matches the
 * ticket's search document; a lone partial email or number also matches requester emails and ticket numbers by
 * trigram. Negated qualifiers use IS NOT TRUE so that NULL columns (no assignee) count as "not matching".
 */
export function searchConditions(search: ParsedSearch, bind: BindParameter, context: SearchSqlContext): string[] {
  const conditions = search.filters.map((filter) => {
    const sql = predicate(filter, bind, context);
    return filter.negated ? `(${sql}) IS NOT TRUE` : sql;
  });
  if (search.text) {
    const query = tsquery(bind, search.text);
    // Stop words alone ("the") leave an empty tsquery, which then does not restrict the results.
    const words = `(numnode(${query}) = 0 OR ${context.matches(query)})`;
    if (search.partial) {
      const pattern = bind(likePattern(search.partial));
      conditions.push(`(${words} OR c.email::text ILIKE ${pattern} OR t.number::text LIKE ${pattern})`);
    } else {
      conditions.push(words);
    }
  }
  return conditions;
}

/** For lists over `tickets t` without the document joined: the text part matches through the document index. */
export function ticketListSearchConditions(search: ParsedSearch, bind: BindParameter, workspaceParameter: string): string[] {
  return searchConditions(search, bind, {
    agentId: undefined,
    matches: (query) => `t.id IN (SELECT sd.ticket_id FROM ticket_search_documents sd WHERE sd.workspace_id = ${workspaceParameter} AND sd.agent_document @@ ${query})`,
  });
}
