/** How a team routes new tickets to its members; teams store it, the assignment module carries it out. */
export const ASSIGNMENT_STRATEGIES = ['manual', 'round_robin', 'load_balanced'] as const;
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];
