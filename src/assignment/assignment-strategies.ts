import { AssignmentStrategy } from '../teams/assignment-strategy';

/** One online team member as the strategies see them, read under the team's rotation lock. */
export interface AssignmentCandidate {
  agentId: string;
  capacity: number | null;
  openTickets: number;
  lastAssignedAt: Date | null;
}

const hasRoom = (candidate: AssignmentCandidate) => candidate.capacity === null || candidate.openTickets < candidate.capacity;
const byId = (a: AssignmentCandidate, b: AssignmentCandidate) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0);

/** The next member after the cursor in a fixed (id) order, wrapping around, skipping anyone at capacity. */
export function nextInRotation(candidates: AssignmentCandidate[], lastAgentId: string | null): string | null {
  const ordered = candidates.filter(hasRoom).sort(byId);
  if (ordered.length === 0) return null;
  const next = lastAgentId === null ? undefined : ordered.find((candidate) => candidate.agentId > lastAgentId);
  return (next ?? ordered[0]).agentId;
}

/** Fewest open tickets under capacity; ties go to whoever was assigned least recently (never assigned first), then id. */
export function leastLoaded(candidates: AssignmentCandidate[]): string | null {
  const ordered = candidates.filter(hasRoom).sort((a, b) =>
    a.openTickets - b.openTickets
    || (a.lastAssignedAt?.getTime() ?? -Infinity) - (b.lastAssignedAt?.getTime() ?? -Infinity)
    || byId(a, b));
  return ordered[0]?.agentId ?? null;
}

export function pickByStrategy(strategy: AssignmentStrategy, candidates: AssignmentCandidate[], lastAgentId: string | null): string | null {
  if (strategy === 'round_robin') return nextInRotation(candidates, lastAgentId);
  if (strategy === 'load_balanced') return leastLoaded(candidates);
  return null;
}
