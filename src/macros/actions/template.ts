/**
 * Logic-less templates for replies and notes: `{{ path }}` placeholders replaced by plain values, nothing else.
 * No expressions, helpers or code, so a macro can never run anything; unknown names are rejected when saved.
 */
export const TEMPLATE_PLACEHOLDERS = [
  'ticket.id', 'ticket.number', 'ticket.subject', 'ticket.status', 'ticket.priority', 'ticket.type',
  'requester.name', 'requester.email', 'agent.name', 'assignee.name', 'team.name',
] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];
export type TemplateValues = Partial<Record<TemplatePlaceholder, string | number | null>>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const KNOWN = new Set<string>(TEMPLATE_PLACEHOLDERS);

/** The problems in a template, each a sentence; empty when it renders. */
export function templateErrors(template: string): string[] {
  const errors: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (!KNOWN.has(match[1])) errors.push(`unknown placeholder {{${match[1]}}}; known: ${TEMPLATE_PLACEHOLDERS.join(', ')}`);
  }
  const leftover = template.replace(PLACEHOLDER, '');
  if (leftover.includes('{{') || leftover.includes('}}')) errors.push('has an unbalanced {{ or }}');
  return errors;
}

export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name as TemplatePlaceholder];
    return value === null || value === undefined ? '' : String(value);
  });
}
