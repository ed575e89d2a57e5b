import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { GraphqlWsServer } from './graphql-ws.server';

/** The graphql-ws transport; the subscription resolvers live with what they watch (presence, events, tickets). */
@Module({
  imports: [AuthModule],
  providers: [GraphqlWsServer],
  exports: [GraphqlWsServer],
})
export class SubscriptionsModule {}
