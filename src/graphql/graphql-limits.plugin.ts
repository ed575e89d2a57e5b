import { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, FragmentDefinitionNode, GraphQLError, Kind, OperationDefinitionNode, SelectionSetNode } from 'graphql';

function depthOf(selectionSet: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, fragments, seen));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, seen));
    } else if (selection.kind === Kind.FRAGMENT_SPREAD && !seen.has(selection.name.value)) {
      const fragment = fragments.get(selection.name.value);
      deepest = Math.max(deepest, depthOf(fragment?.selectionSet, fragments, new Set([...seen, selection.name.value])));
    }
  }
  return deepest;
}

export function queryDepth(document: DocumentNode): number {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return Math.max(0, ...operations.map((operation) => depthOf(operation.selectionSet, fragments, new Set())));
}

/** Rejects queries nested deeper than a limit before any resolver runs; list sizes are bounded by `first` (max 100). */
export function graphqlLimits(options: { maxDepth: number }): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document }) {
          const depth = queryDepth(document);
          if (depth > options.maxDepth) {
            throw new GraphQLError(`Query depth ${depth} exceeds the limit of ${options.maxDepth}.`, {
              extensions: { code: 'QUERY_TOO_DEEP', status: 400 },
            });
          }
        },
      };
    },
  };
}
