import { renderTemplate, templateErrors } from './template';

describe('template engine', () => {
  it('replaces known placeholders, with or without inner spaces, and leaves other text alone', () => {
    const rendered = renderTemplate('Hi {{requester.name}}, ticket #{{ ticket.number }} is {{ticket.status}}. -- {{agent.name}}', {
      'requester.name': 'Jo', 'ticket.number': 42, 'ticket.status': 'resolved', 'agent.name': 'Ana',
    });
    expect(rendered).toBe('Hi Jo, ticket #42 is resolved. -- Ana');
  });

  it('renders missing values as empty text', () => {
    expect(renderTemplate('Team: {{team.name}}.', { 'team.name': null })).toBe('Team: .');
  });

  it('never evaluates what it substitutes: values containing placeholders or code stay literal', () => {
    expect(renderTemplate('{{ticket.subject}}', { 'ticket.subject': '{{agent.name}} ${process.exit()}' })).toBe('{{agent.name}} ${process.exit()}');
  });

  it('reports unknown placeholders, expressions and unbalanced braces', () => {
    expect(templateErrors('Hello {{requester.name}}')).toEqual([]);
    expect(templateErrors('{{requester.phone}}')[0]).toMatch(/unknown placeholder \{\{requester.phone\}\}/);
    expect(templateErrors('{{ ticket.number + 1 }}')).toHaveLength(1);
    expect(templateErrors('{{constructor.constructor}}')).toHaveLength(1);
    expect(templateErrors('Hi {{requester.name')).toEqual(['has an unbalanced {{ or }}']);
  });
});
