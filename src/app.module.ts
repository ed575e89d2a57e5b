import { KeysModule } from './keys/keys.module';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { GraphQLSchema } from 'graphql';
import { AgentsModule } from './agents/agents.module';
import { AssignmentModule } from './assignment/assignment.module';
import { AuthModule } from './auth/auth.module';
import { AutomationModule } from './automation/automation.module';
import { BulkModule } from './bulk/bulk.module';
import { ChannelsModule } from './channels/channels.module';
import { ClockModule } from './common/clock';
import { formatGraphQLError } from './common/errors/graphql-errors';
import { ProblemExceptionFilter } from './common/errors/problem-exception.filter';
import { EtagInterceptor } from './common/http/etag.interceptor';
import { IdempotencyInterceptor } from './common/idempotency/idempotency.interceptor';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ContactsModule } from './contacts/contacts.module';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { FieldsModule } from './fields/fields.module';
import { refuseOversizedDocuments } from './graphql/document-limits';
import { graphqlLimitRules, graphqlLimits } from './graphql/graphql-limits.plugin';
import { answerFromParent } from './graphql/parent-answered-fields';
import { HealthModule } from './health/health.module';
import { graphqlMetrics } from './health/metrics/graphql-metrics.plugin';
import { Metrics } from './health/metrics/metrics';
import { MetricsModule } from './health/metrics/metrics.module';
import { MacrosModule } from './macros/macros.module';
import { OrganizationsModule } from './organizations/organizations.module';
import { RealtimeModule } from './realtime/realtime.module';
import { PresenceModule } from './realtime/presence/presence.module';
import { SubscriptionsModule } from './realtime/subscriptions/subscriptions.module';
import { ReportsModule } from './reports/reports.module';
import { SatisfactionModule } from './satisfaction/satisfaction.module';
import { SearchModule } from './search/search.module';
import { SlaModule } from './sla/sla.module';
import { TagsModule } from './tags/tags.module';
import { TeamsModule } from './teams/teams.module';
import { TicketsModule } from './tickets/tickets.module';
import { TICKET_FIELDS_FROM_ROW } from './tickets/tickets.resolver';
import { TriageModule } from './triage/triage.module';
import { ViewsModule } from './views/views.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { WorkspacesModule } from './workspaces/workspaces.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string, metrics = new Metrics()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(config.clock),
        DatabaseModule.forRoot(databaseUrl, config.databasePoolSize),
        EventsModule,
        KeysModule,
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          autoSchemaFile: true,
          sortSchema: true,
          path: '/graphql',
          graphiql: false,
          playground: false,
          introspection: config.graphql.introspection,
          // "Did you mean" hints in validation errors spell out the schema that introspection would.
          hideSchemaDetailsFromClientErrors: !config.graphql.introspection,
          includeStacktraceInErrorResponses: false,
          allowBatchedHttpRequests: false,
          context: (request: { body?: unknown; query?: unknown }, reply: unknown) => {
            refuseOversizedDocuments(request, config.graphql);
            return { req: request, reply };
          },
          formatError: formatGraphQLError,
          validationRules: graphqlLimitRules(config.graphql),
          // We set no cache hints; the cache-control plugin would still instrument every field of every response.
          plugins: [graphqlLimits(config.graphql), ApolloServerPluginCacheControlDisabled(), graphqlMetrics(metrics)],
          buildSchemaOptions: { dateScalarMode: 'isoDate' },
          transformSchema: (schema: GraphQLSchema) => answerFromParent(schema, TICKET_FIELDS_FROM_ROW),
        }),
        MetricsModule.forRoot(metrics),
        HealthModule,
        AuthModule,
        WorkspacesModule,
        AgentsModule,
        OrganizationsModule,
        FieldsModule,
        ContactsModule,
        TeamsModule,
        TicketsModule,
        SlaModule,
        AssignmentModule,
        TriageModule,
        MacrosModule,
        AutomationModule,
        BulkModule,
        ViewsModule,
        TagsModule,
        SearchModule,
        SatisfactionModule,
        ReportsModule,
        WebhooksModule,
        ChannelsModule,
        RealtimeModule,
        PresenceModule,
        SubscriptionsModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_INTERCEPTOR, useClass: EtagInterceptor },
      ],
    };
  }
}
