import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SatisfactionRatingView } from './dto/satisfaction.dto';

export interface NewRating {
  workspaceId: string;
  id: string;
  ticketId: string;
  requesterId: string;
  resolvedAt: Date;
  rating: SatisfactionRatingView['rating'];
  comment: string | null;
}

interface RatingRow {
  id: string;
  ticket_id: string;
  requester_id: string;
  rating: SatisfactionRatingView['rating'];
  comment: string | null;
  resolved_at: Date;
  created_at: Date;
}

const toView = (row: RatingRow): SatisfactionRatingView => ({
  id: row.id,
  ticketId: row.ticket_id,
  requesterId: row.requester_id,
  rating: row.rating,
  comment: row.comment,
  resolvedAt: row.resolved_at,
  createdAt: row.created_at,
});

@Injectable()
export class SatisfactionRepository {
  /** Null when this resolution is already rated: the unique index on (ticket, resolvedAt) settles concurrent attempts. */
  async insertUnlessRated(manager: EntityManager, rating: NewRating): Promise<SatisfactionRatingView | null> {
    const rows: RatingRow[] = await manager.query(
      `INSERT INTO satisfaction_ratings (workspace_id, id, ticket_id, requester_id, resolved_at, rating, comment)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (workspace_id, ticket_id, resolved_at) DO NOTHING
       RETURNING id, ticket_id, requester_id, rating, comment, resolved_at, created_at`,
      [rating.workspaceId, rating.id, rating.ticketId, rating.requesterId, rating.resolvedAt, rating.rating, rating.comment],
    );
    return rows.length > 0 ? toView(rows[0]) : null;
  }
}
