import { generateTickets } from './generated-tickets';
import { NaiveBayes, tokenize, TriageModel } from './text-classifier';

describe('tokenize', () => {
  it('lower-cases, drops stop words and one-letter words, and folds plural endings', () => {
    expect(tokenize('The Invoices are WRONG, a refund please!')).toEqual(['invoic', 'wrong', 'refund']);
  });
});

describe('NaiveBayes', () => {
  it('predicts the label whose words match, with a probability as confidence', () => {
    const classifier = new NaiveBayes();
    classifier.learn(tokenize('invoice refund charge'), 'billing');
    classifier.learn(tokenize('server down outage'), 'outage');
    const prediction = classifier.predict(tokenize('refund my charge'))!;
    expect(prediction.label).toBe('billing');
    expect(prediction.confidence).toBeGreaterThan(0.5);
    expect(prediction.confidence).toBeLessThanOrEqual(1);
  });

  it('is unsure about words it never saw', () => {
    const classifier = new NaiveBayes();
    classifier.learn(['a1'], 'x');
    classifier.learn(['b1'], 'y');
    expect(classifier.predict(['zzz'])!.confidence).toBeCloseTo(0.5);
  });
});

// Stated thresholds: on 300 held-out tickets after training on 900, type, priority and team are each right at least
// 85% of the time and the kind's tag is suggested for at least 85% of them. Kinds share types and words on purpose.
describe('accuracy on a generated helpdesk history, held-out split', () => {
  const tickets = generateTickets(1200, 7);
  const training = tickets.slice(0, 900);
  const heldOut = tickets.slice(900);
  const model = TriageModel.train(training.map((ticket) => ({ text: `${ticket.subject}\n${ticket.body}`, type: ticket.type, priority: ticket.priority, teamId: ticket.team, tags: ticket.tags })));
  const predictions = heldOut.map((ticket) => ({ ticket, predicted: model.predict(`${ticket.subject}\n${ticket.body}`) }));
  const accuracy = (right: (entry: (typeof predictions)[number]) => boolean) => predictions.filter(right).length / predictions.length;

  it('predicts type, priority and team above 85%', () => {
    expect(accuracy(({ ticket, predicted }) => predicted.type?.label === ticket.type)).toBeGreaterThanOrEqual(0.85);
    expect(accuracy(({ ticket, predicted }) => predicted.priority?.label === ticket.priority)).toBeGreaterThanOrEqual(0.85);
    expect(accuracy(({ ticket, predicted }) => predicted.teamId?.label === ticket.team)).toBeGreaterThanOrEqual(0.85);
  });

  it('suggests the right tag above 85% and rarely a wrong one', () => {
    expect(accuracy(({ ticket, predicted }) => predicted.tags.some((tag) => tag.label === ticket.tags[0]))).toBeGreaterThanOrEqual(0.85);
    expect(accuracy(({ ticket, predicted }) => predicted.tags.some((tag) => !ticket.tags.includes(tag.label)))).toBeLessThan(0.15);
  });

  it('beats always guessing the most common answer', () => {
    const teams = new Map<string, number>();
    for (const ticket of heldOut) teams.set(ticket.team, (teams.get(ticket.team) ?? 0) + 1);
    const baseline = Math.max(...teams.values()) / heldOut.length;
    expect(accuracy(({ ticket, predicted }) => predicted.teamId?.label === ticket.team)).toBeGreaterThan(baseline + 0.4);
  });
});
