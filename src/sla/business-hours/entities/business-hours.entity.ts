import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Holiday, SpecialDay, Weekday } from '../../business-time';

@Entity('business_hours')
export class BusinessHoursEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('citext') name: string;
  @Column('text') timezone: string;
  @Column('jsonb') weekly: Partial<Record<Weekday, string[]>>;
  @Column('jsonb') holidays: Holiday[];
  @Column('jsonb', { default: () => "'[]'" }) specialDays: SpecialDay[];
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}
