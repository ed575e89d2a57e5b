import { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { DocumentNode, FragmentDefinitionNode, GraphQLError, GraphQLSchema, Kind, OperationDefinitionNode, OperationTypeNode, SelectionSetNode, ValidationContext, ValidationRule } from 'graphql';
import { GraphqlConfig } from '../config/graphql-config';
import { queryCost } from './query-cost';
import { QueryLimitCode, QueryLimitExceeded } from './query-limit-exceeded';

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
}

/**
 * A fragment's depth is the same wherever it is spread, so each is walked once: a document spreading fragments into
 * each other twice per level ("fragment bombs") would otherwise take 2^levels steps.
 */
function depthOf(selectionSet: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, fragmentDepths: Map<string, number>): number {
  let deepest = 0;
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, fragments, fragmentDepths));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, fragmentDepths));
    } else {
      const name = selection.name.value;
      if (!fragmentDepths.has(name)) {
        fragmentDepths.set(name, 0); // a cycle (which validation refuses anyway) ends here
        fragmentDepths.set(name, depthOf(fragments.get(name)?.selectionSet, fragments, fragmentDepths));
      }
      deepest = Math.max(deepest, fragmentDepths.get(name)!);
    }
  }
  return deepest;
}

export function queryDepth(document: DocumentNode): number {
  const fragments = fragmentsOf(document);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return Math.max(0, ...operations.map((operation) => depthOf(operation.selectionSet, fragments, new Map())));
}

/**
 * Root fields the operation runs: one per response name (alias or field name), as the executor merges the rest, found
 * through fragments, each visited once. Each runs its own resolver and, for a mutation, its own transaction.
 */
export function rootFieldCount(operation: OperationDefinitionNode, document: DocumentNode): number {
  const fragments = fragmentsOf(document);
  const responseNames = new Set<string>();
  const visited = new Set<string>();
  const collect = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.name.value.startsWith('__')) responseNames.add((selection.alias ?? selection.name).value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet);
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        collect(fragments.get(selection.name.value)?.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return responseNames.size;
}

/**
 * Field selections the operation makes once every fragment spread is replaced by its fragment: a lower bound of its
 * cost, since every field costs at least 1. Counted per fragment once, so a fragment bomb (2^40 spreads in 2 KB) is
 * measured in microseconds, where the cost walk would visit its paths until a node cap stops it.
 */
export function expandedFieldCount(operation: OperationDefinitionNode, document: DocumentNode): number {
  const fragments = fragmentsOf(document);
  const fragmentFields = new Map<string, number>();
  const count = (selectionSet: SelectionSetNode | undefined): number => {
    let fields = 0;
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.name.value.startsWith('__')) fields += 1 + count(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        fields += count(selection.selectionSet);
      } else {
        const name = selection.name.value;
        if (!fragmentFields.has(name)) {
          fragmentFields.set(name, 0); // a cycle (which validation refuses anyway) ends here
          fragmentFields.set(name, count(fragments.get(name)?.selectionSet));
        }
        fields += fragmentFields.get(name)!;
      }
    }
    return fields;
  };
  return count(operation.selectionSet);
}

/** Armor's message is the only place its count appears: "Aliases limit of 20 exceeded, found 21." */
function armorRefusal(code: QueryLimitCode, counted: string, limit: number) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const found = Number(/found (\d+)/.exec(error.message)?.[1] ?? NaN);
    context?.reportError(new QueryLimitExceeded(code, `The query has ${found} ${counted}; the limit is ${limit}.`, limit, { [counted]: found }));
  };
}

/** Aliases and directives are counted by graphql-armor's validation rules, during validation, before execution. */
export function graphqlLimitRules(limits: GraphqlConfig): ValidationRule[] {
  const armor = new ApolloArmor({
    maxAliases: { n: limits.maxAliases, propagateOnRejection: false, onReject: [armorRefusal('TOO_MANY_ALIASES', 'aliases', limits.maxAliases)] },
    maxDirectives: { n: limits.maxDirectives, propagateOnRejection: false, onReject: [armorRefusal('TOO_MANY_DIRECTIVES', 'directives', limits.maxDirectives)] },
    // Tokens and document size are counted before parsing (document-limits.ts), depth and cost below; Apollo hides suggestions.
    maxTokens: { enabled: false },
    maxDepth: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  });
  return armor.protect().validationRules;
}

function costOf(...args: Parameters<typeof queryCost>): number {
  try {
    return queryCost(...args);
  } catch (error) {
    // Too many nodes to even count (fragments spread into each other): too costly by any measure.
    if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message)) return Infinity;
    // Anything else is a variable the executor will refuse before any resolver runs.
    return 0;
  }
}

/**
 * Throws when an operation has too many root fields or mutations, is nested too deep, or its estimated cost (list sizes
 * multiplied) is over the limit. Run once the operation is known and before any resolver (so before any database access):
 * by the Apollo plugin below for HTTP, and by the graphql-ws server for subscriptions.
 */
export function checkOperationLimits(
  limits: GraphqlConfig,
  { document, operation, schema, variables }: { document: DocumentNode; operation: OperationDefinitionNode; schema: GraphQLSchema; variables: Record<string, unknown> | undefined },
): void {
  const rootFields = rootFieldCount(operation, document);
  if (operation.operation === OperationTypeNode.MUTATION && rootFields > limits.maxMutations) {
    throw new QueryLimitExceeded('TOO_MANY_MUTATIONS', `The request has ${rootFields} mutations; the limit is ${limits.maxMutations}.`, limits.maxMutations, { mutations: rootFields });
  }
  if (rootFields > limits.maxRootFields) {
    throw new QueryLimitExceeded('TOO_MANY_ROOT_FIELDS', `The query has ${rootFields} root fields; the limit is ${limits.maxRootFields}.`, limits.maxRootFields, { rootFields });
  }
  const depth = queryDepth(document);
  if (depth > limits.maxDepth) {
    throw new QueryLimitExceeded('QUERY_TOO_DEEP', `Query depth ${depth} exceeds the limit of ${limits.maxDepth}.`, limits.maxDepth, { depth });
  }
  const fields = expandedFieldCount(operation, document);
  if (fields > limits.maxCost) {
    throw new QueryLimitExceeded('QUERY_TOO_COSTLY', `Query cost is at least ${fields} (one per field, fragments expanded), over the limit of ${limits.maxCost}.`, limits.maxCost, {
      minimumCost: fields,
    });
  }
  const cost = costOf(schema, document, operation.name?.value, variables);
  if (cost > limits.maxCost) {
    const counted = Number.isFinite(cost);
    throw new QueryLimitExceeded(
      'QUERY_TOO_COSTLY',
      `Query cost ${counted ? cost : 'too large to count'} exceeds the limit of ${limits.maxCost}; ask for smaller pages (first) or fewer nested lists.`,
      limits.maxCost,
      counted ? { cost } : {},
    );
  }
}

/** The operation limits on every HTTP GraphQL request, once Apollo knows the operation. */
export function graphqlLimits(limits: GraphqlConfig): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          // No operation to run (a wrong operationName): execution refuses it without calling a resolver.
          if (!operation) return;
          checkOperationLimits(limits, { document, operation, schema, variables: request.variables });
        },
      };
    },
  };
}
