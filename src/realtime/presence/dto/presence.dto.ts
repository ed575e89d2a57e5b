import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

export type PresenceState = 'viewing' | 'replying';
export const PRESENCE_STATES: PresenceState[] = ['viewing', 'replying'];
export const PresenceStateEnum = { viewing: 'viewing', replying: 'replying' } as const;
registerEnumType(PresenceStateEnum, { name: 'PresenceState', description: 'viewing: the agent has the ticket open; replying: the agent is writing a reply or note.' });

export class MarkPresenceInput {
  @ApiProperty({ enum: PRESENCE_STATES, description: 'viewing while the ticket is open; replying while writing (other agents see a possible collision).' })
  @IsIn(PRESENCE_STATES)
  state: PresenceState;
}

@ObjectType('PresentAgent')
export class PresentAgentView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field() @ApiProperty() name: string;
}

@ObjectType('TicketPresence', { description: 'An agent on a ticket: shown until expiresAt unless refreshed.' })
export class PresenceView {
  @Field(() => PresentAgentView) @ApiProperty({ type: PresentAgentView }) agent: PresentAgentView;
  @Field(() => PresenceStateEnum) @ApiProperty({ enum: PRESENCE_STATES }) state: PresenceState;
  @Field() @ApiProperty({ description: 'When the agent arrived on the ticket (kept across refreshes and state changes).' }) since: Date;
  @Field() @ApiProperty({ description: 'When the agent leaves unless refreshed (PUT again before then).' }) expiresAt: Date;
}

export class PresenceListView {
  @ApiProperty({ type: [PresenceView], description: 'The agents on the ticket now, earliest arrival first. Expired entries are never listed.' })
  data: PresenceView[];
  @ApiProperty({ type: String, nullable: true, description: 'Always null: one page holds every agent on the ticket.' })
  nextCursor: null;
}

@ObjectType('TicketPresenceChange', { description: 'presence.changed: who is on the ticket after an agent arrived, changed state or left (explicitly or by expiry).' })
export class PresenceChangeView {
  @Field(() => ID) ticketId: string;
  @Field(() => [PresenceView]) agents: PresenceView[];
}
