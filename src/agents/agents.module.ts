import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { AgentsController } from './agents.controller';
import { AgentsResolver } from './agents.resolver';
import { AgentsRepository } from './agents.repository';
import { AgentsService } from './agents.service';
import { AgentEntity } from './entities/agent.entity';

@Module({
  imports: [AuthModule, WorkspacesModule, TypeOrmModule.forFeature([AgentEntity])],
  controllers: [AgentsController],
  providers: [AgentsService, AgentsRepository, AgentsResolver],
  exports: [AgentsService],
})
export class AgentsModule {}
