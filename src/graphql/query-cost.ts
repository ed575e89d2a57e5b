import { DocumentNode, getNamedType, GraphQLSchema, isListType, isNonNullType, GraphQLOutputType } from 'graphql';
import { ComplexityEstimatorArgs, getComplexity } from 'graphql-query-complexity';

/** The largest `first` any connection accepts; a list the caller cannot size is assumed this long. */
export const MAX_PAGE_SIZE = 100;

/** Lists without a `first` whose length the domain bounds below a page (the rest count as MAX_PAGE_SIZE). */
const KNOWN_LIST_SIZES: Record<string, number> = {
  'TicketSla.metrics': 3,
  'WebhookDelivery.attempts': 50,
  'Macro.actions': 50,
  'AutomationRule.actions': 50,
  'RuleConditions.all': 20,
  'RuleConditions.any': 20,
  // Unbounded in data (an email may carry many), but rarely past a handful; a ticket's thread of 50 messages stays cheap.
  'Message.attachments': 20,
};

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/**
 * How many times a field's selection runs: `first` (or `limit`) as asked, or its default, for a paged field; one for a
 * connection's `edges`, whose page the connection field already counted; a known bound or a full page for other lists.
 */
function multiplier({ type, field, args }: ComplexityEstimatorArgs): number {
  const size = args.first ?? args.limit;
  if (typeof size === 'number') return Math.max(size, 0);
  if (field.args.some((arg) => arg.name === 'first' || arg.name === 'limit')) return MAX_PAGE_SIZE;
  if (!isList(field.type) || type.name.endsWith('Connection')) return 1;
  return KNOWN_LIST_SIZES[`${type.name}.${field.name}`] ?? MAX_PAGE_SIZE;
}

/**
 * Each field costs 1 plus its selection's cost times the number of items it returns, so list sizes multiply down the
 * tree: `tickets(first: 100) { edges { node { messages { body } } } }` costs 1 + 100 * (1 + 1 + (1 + 50 * 1)) = 5,301.
 * Introspection is left out, as graphql-armor does: it reads the schema, never the database, and graphql-js's own
 * MaxIntrospectionDepthRule already refuses the lists nested through `type` that would make it fan out.
 */
export function fieldCost(estimate: ComplexityEstimatorArgs): number {
  if (estimate.field.name.startsWith('__') || getNamedType(estimate.type).name.startsWith('__')) return 0;
  return 1 + multiplier(estimate) * estimate.childComplexity;
}

/** The cost of the operation that will run, from the parsed document alone (no resolver, no database). */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined): number {
  return getComplexity({ schema, query: document, operationName, variables, estimators: [fieldCost] });
}
