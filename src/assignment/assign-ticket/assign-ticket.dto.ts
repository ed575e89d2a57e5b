import { Field, ID, InputType } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsId } from '../../common/dto/validators';

@InputType()
export class AssignTicketInput {
  @Field(() => ID, { nullable: true })
  @ApiPropertyOptional({ format: 'uuid', description: 'Assign this agent. With teamId too, the ticket also moves to that team.' })
  @IsOptional() @IsId() agentId?: string;

  @Field(() => ID, { nullable: true })
  @ApiPropertyOptional({ format: 'uuid', description: "Without agentId: move the ticket to this team and let the team's strategy pick the agent (nobody for a manual team or when no member is available)." })
  @IsOptional() @IsId() teamId?: string;
}
