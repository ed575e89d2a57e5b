import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../agents/agents.module';
import { TeamMemberEntity } from './entities/team-member.entity';
import { TeamEntity } from './entities/team.entity';
import { TeamsController } from './teams.controller';
import { TeamsResolver } from './teams.resolver';
import { TeamsRepository } from './teams.repository';
import { TeamsService } from './teams.service';

@Module({
  imports: [AgentsModule, TypeOrmModule.forFeature([TeamEntity, TeamMemberEntity])],
  controllers: [TeamsController],
  providers: [TeamsService, TeamsRepository, TeamsResolver],
  exports: [TeamsService],
})
export class TeamsModule {}
