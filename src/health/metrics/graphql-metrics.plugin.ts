import { ApolloServerPlugin } from '@apollo/server';
import { Metrics } from './metrics';

/** Counts each GraphQL operation by name, type and outcome once its response is ready. */
export function graphqlMetrics(metrics: Metrics): ApolloServerPlugin {
  return {
    requestDidStart() {
      return Promise.resolve({
        willSendResponse({ operationName, operation, response }) {
          const failed = response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0;
          metrics.countGraphQLOperation(operationName, operation?.operation ?? 'invalid', failed);
          return Promise.resolve();
        },
      });
    },
  };
}
