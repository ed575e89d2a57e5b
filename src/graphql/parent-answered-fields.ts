import { defaultFieldResolver, GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema, Kind } from 'graphql';

/**
 * An object field whose parent already holds some of its subfields, e.g. a ticket row joined with its requester's
 * name and email. When a query selects nothing else, the parent's property answers it on the spot.
 */
export interface ParentAnsweredField {
  type: string;
  field: string;
  subfields: readonly string[];
}

/** True when every selection of this field is a plain field among `available` (no fragments, nothing else). */
function selectsOnly(info: GraphQLResolveInfo, available: ReadonlySet<string>): boolean {
  return info.fieldNodes.every((node) => (node.selectionSet?.selections ?? []).every((selection) => selection.kind === Kind.FIELD && available.has(selection.name.value)));
}

/**
 * Puts a synchronous shortcut in front of each listed field's resolver (a schema transform, run once at boot).
 * Why not inside the Nest resolver: Nest wraps every @ResolveField call in async guards-pipes-interceptors plumbing
 * that costs about as much as the rest of a ticket's execution, and a promise per ticket makes graphql-js await each
 * row. A page of 50 tickets asking for `requester { id name email }` then resolves without a single promise.
 */
export function answerFromParent(schema: GraphQLSchema, fields: readonly ParentAnsweredField[]): GraphQLSchema {
  for (const spec of fields) {
    const type = schema.getType(spec.type);
    const field = type instanceof GraphQLObjectType ? type.getFields()[spec.field] : undefined;
    if (!field) throw new Error(`answerFromParent: the schema has no field ${spec.type}.${spec.field}`);
    const resolve = field.resolve ?? defaultFieldResolver;
    const available = new Set(['__typename', ...spec.subfields]);
    field.resolve = (parent, args, context, info) => {
      if (selectsOnly(info, available)) return (parent as Record<string, unknown>)[spec.field] ?? null;
      return resolve(parent, args, context, info);
    };
  }
  return schema;
}
