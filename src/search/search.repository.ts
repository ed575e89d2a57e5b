import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { ParsedSearch } from './search-query';
import { searchConditions, TEXT_SEARCH_CONFIG, tsquery } from './search-sql';

/** Who the results are for: agents see internal notes; a requester sees only their own tickets' public conversation. */
export type SearchAudience = { kind: 'agent' } | { kind: 'requester'; contactId: string };

export interface SearchHitRow {
  id: string;
  rank: number | null;
  subjectHighlight: string | null;
  bodyHighlight: string | null;
  cursor: string;
}

export interface SearchHitPage {
  hits: SearchHitRow[];
  nextCursor: string | null;
}

// ts_headline marks matches with control characters; the service escapes the text and turns them into <mark>.
export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';
const SUBJECT_HEADLINE = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, HighlightAll=true`;
const BODY_HEADLINE = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, MaxFragments=2, MaxWords=25, MinWords=8, FragmentDelimiter=" … "`;

interface Row {
  id: string;
  rank: number | null;
  created_at: Date;
  subject_highlight: string | null;
  body_highlight: string | null;
}

/**
 * Relevance order is keyset-paginated on (rank, id): ts_rank_cd is deterministic for a document and query, so a
 * cursor holding the last rank and id resumes exactly, at any depth. Without free text, newest tickets come first.
 */
@Injectable()
export class SearchRepository {
  async search(
    manager: EntityManager,
    workspaceId: string,
    search: ParsedSearch,
    options: { agentId: string | null; audience: SearchAudience; limit: number; cursor?: string },
  ): Promise<SearchHitPage> {
    const params: unknown[] = [workspaceId];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const document = options.audience.kind === 'agent' ? 'd.agent_document' : 'd.requester_document';
    const where = ['t.workspace_id = $1', ...searchConditions(search, bind, { agentId: options.agentId, matches: (tsquery) => `${document} @@ ${tsquery}` })];
    if (options.audience.kind === 'requester') where.push(`t.requester_id = ${bind(options.audience.contactId)}::uuid`);
    const hasText = search.text.length > 0;
    const query = hasText ? tsquery(bind, search.text) : 'NULL::tsquery';
    const sort = hasText ? 'relevance' : 'newest';
    const orderColumn = hasText ? 'hits.rank' : 'hits.created_at';

    const after: string[] = [];
    if (options.cursor) {
      const position = decodeCursor(options.cursor, sort, hasText ? 'number' : 'timestamp');
      after.push(hasText
        ? `(hits.rank, hits.id) < (${bind(Number(position.sortValue))}::real, ${bind(position.id)}::uuid)`
        : `(hits.created_at, hits.id) < (${bind(position.sortValue)}::timestamptz, ${bind(position.id)}::uuid)`);
    }
    const publicOnly = options.audience.kind === 'requester' ? `AND m.visibility = 'public'` : '';
    const rows: Row[] = await manager.query(
      `SELECT page.id, page.rank, page.created_at,
              CASE WHEN ${hasText} THEN ts_headline(${TEXT_SEARCH_CONFIG}, t.subject, ${query}, ${bind(SUBJECT_HEADLINE)}) END AS subject_highlight,
              CASE WHEN ${hasText} THEN (
                SELECT ts_headline(${TEXT_SEARCH_CONFIG}, m.body, ${query}, ${bind(BODY_HEADLINE)})
                  FROM ticket_messages m
                 WHERE m.workspace_id = $1 AND m.ticket_id = page.id ${publicOnly}
                   AND to_tsvector(${TEXT_SEARCH_CONFIG}, m.body) @@ ${query}
                 ORDER BY ts_rank_cd(to_tsvector(${TEXT_SEARCH_CONFIG}, m.body), ${query}) DESC, m.sequence
                 LIMIT 1) END AS body_highlight
         FROM (
           SELECT hits.* FROM (
             SELECT t.id, t.created_at, ${hasText ? `ts_rank_cd(${document}, ${query})` : 'NULL::real'} AS rank
               FROM tickets t
               JOIN contacts c ON c.workspace_id = t.workspace_id AND c.id = t.requester_id
               JOIN ticket_search_documents d ON d.workspace_id = t.workspace_id AND d.ticket_id = t.id
              WHERE ${where.join(' AND ')}
           ) hits
           ${after.length ? `WHERE ${after.join(' AND ')}` : ''}
           ORDER BY ${orderColumn} DESC, hits.id DESC
           LIMIT ${bind(options.limit + 1)}
         ) page
         JOIN tickets t ON t.workspace_id = $1 AND t.id = page.id
        ORDER BY ${orderColumn.replace('hits.', 'page.')} DESC, page.id DESC`,
      params,
    );
    const hasMore = rows.length > options.limit;
    const hits = (hasMore ? rows.slice(0, options.limit) : rows).map((row) => ({
      id: row.id,
      rank: row.rank === null ? null : Number(row.rank),
      subjectHighlight: row.subject_highlight,
      bodyHighlight: row.body_highlight,
      cursor: encodeCursor(sort, { sortValue: hasText ? Number(row.rank) : row.created_at.toISOString(), id: row.id }),
    }));
    return { hits, nextCursor: hasMore ? hits[hits.length - 1].cursor : null };
  }
}
