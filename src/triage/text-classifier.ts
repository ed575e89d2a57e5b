/**
 * A small multinomial naive Bayes text classifier: words of subject and first message in, one label out, with
 * a posterior probability as confidence. Trained per workspace from its own resolved tickets; no external model.
 */
const STOPWORDS = new Set(
  ('a an and are as at be been but by can could do does for from has have hi hello i if in into is it its me my no not of on or our please '
  + 'so thanks thank that the their them then there this to was we were what when which who will with would you your yours regards').split(' '),
);

export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((word) => word.length > 1 && word.length < 40 && !STOPWORDS.has(word))
    // A light stem: plurals and common endings collapse so "invoices" and "invoice" count together.
    .map((word) => word.replace(/(ing|ed|es|s)$/u, '') || word);
}

export interface Prediction {
  label: string;
  confidence: number;
}

export class NaiveBayes {
  private readonly wordCounts = new Map<string, Map<string, number>>();
  private readonly totalWords = new Map<string, number>();
  private readonly documents = new Map<string, number>();
  private readonly vocabulary = new Set<string>();
  private documentCount = 0;

  get trainedOn(): number {
    return this.documentCount;
  }

  learn(tokens: string[], label: string): void {
    this.documentCount += 1;
    this.documents.set(label, (this.documents.get(label) ?? 0) + 1);
    const counts = this.wordCounts.get(label) ?? new Map<string, number>();
    this.wordCounts.set(label, counts);
    for (const token of tokens) {
      counts.set(token, (counts.get(token) ?? 0) + 1);
      this.vocabulary.add(token);
    }
    this.totalWords.set(label, (this.totalWords.get(label) ?? 0) + tokens.length);
  }

  /** The most probable label and its posterior (softmax over log scores, Laplace-smoothed), or null untrained. */
  predict(tokens: string[]): Prediction | null {
    if (this.documentCount === 0) return null;
    const vocabularySize = this.vocabulary.size + 1;
    const known = tokens.filter((token) => this.vocabulary.has(token));
    const scores = [...this.documents.entries()].map(([label, documents]) => {
      const counts = this.wordCounts.get(label)!;
      const total = this.totalWords.get(label)!;
      let score = Math.log(documents / this.documentCount);
      for (const token of known) score += Math.log(((counts.get(token) ?? 0) + 1) / (total + vocabularySize));
      return { label, score };
    });
    const best = scores.reduce((a, b) => (b.score > a.score ? b : a));
    const normaliser = scores.reduce((sum, entry) => sum + Math.exp(entry.score - best.score), 0);
    return { label: best.label, confidence: 1 / normaliser };
  }
}

export interface LabelledTicket {
  text: string;
  type: string | null;
  priority: string | null;
  teamId: string | null;
  tags: string[];
}

export interface TriagePredictions {
  type: Prediction | null;
  priority: Prediction | null;
  teamId: Prediction | null;
  /** Tags predicted present, most confident first. */
  tags: Prediction[];
}

const MIN_LABELLED = 5;
const MIN_TAG_USES = 3;

/** One classifier per predicted field; tags are one present/absent classifier per tag used often enough. */
export class TriageModel {
  private readonly type = new NaiveBayes();
  private readonly priority = new NaiveBayes();
  private readonly team = new NaiveBayes();
  private readonly tags = new Map<string, NaiveBayes>();

  constructor(readonly trainedOn: number) {}

  static train(tickets: LabelledTicket[]): TriageModel {
    const model = new TriageModel(tickets.length);
    const tagUses = new Map<string, number>();
    for (const ticket of tickets) for (const tag of ticket.tags) tagUses.set(tag, (tagUses.get(tag) ?? 0) + 1);
    const frequentTags = [...tagUses.entries()].filter(([, uses]) => uses >= MIN_TAG_USES).map(([tag]) => tag);
    for (const tag of frequentTags) model.tags.set(tag, new NaiveBayes());
    for (const ticket of tickets) {
      const tokens = tokenize(ticket.text);
      if (ticket.type) model.type.learn(tokens, ticket.type);
      if (ticket.priority) model.priority.learn(tokens, ticket.priority);
      if (ticket.teamId) model.team.learn(tokens, ticket.teamId);
      for (const [tag, classifier] of model.tags) classifier.learn(tokens, ticket.tags.includes(tag) ? 'yes' : 'no');
    }
    return model;
  }

  predict(text: string): TriagePredictions {
    const tokens = tokenize(text);
    const field = (classifier: NaiveBayes) => (classifier.trainedOn >= MIN_LABELLED ? classifier.predict(tokens) : null);
    const tags: Prediction[] = [];
    for (const [tag, classifier] of this.tags) {
      const prediction = classifier.predict(tokens);
      if (prediction?.label === 'yes') tags.push({ label: tag, confidence: prediction.confidence });
    }
    return { type: field(this.type), priority: field(this.priority), teamId: field(this.team), tags: tags.sort((a, b) => b.confidence - a.confidence) };
  }
}
