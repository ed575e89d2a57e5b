/**
 * A generated but realistic helpdesk history for measuring the classifier: five kinds of request, each written
 * from many phrasings with shared filler, typos-free noise and overlapping words between kinds, so accuracy is
 * earned rather than given. Deterministic for a seed.
 */
export interface GeneratedTicket {
  subject: string;
  body: string;
  type: 'question' | 'incident' | 'problem' | 'task';
  priority: 'low' | 'normal' | 'high' | 'urgent';
  team: 'Billing' | 'Operations' | 'Engineering' | 'Accounts' | 'Product';
  tags: string[];
}

interface Kind {
  type: GeneratedTicket['type'];
  priority: GeneratedTicket['priority'];
  team: GeneratedTicket['team'];
  tags: string[];
  subjects: string[];
  sentences: string[];
}

const KINDS: Kind[] = [
  {
    type: 'question', priority: 'normal', team: 'Billing', tags: ['billing'],
    subjects: ['Question about my invoice', 'Charged twice this month', 'Refund request', 'How do I update my credit card', 'VAT number missing on invoice', 'Change billing address'],
    sentences: ['I was charged twice for the same subscription.', 'Can you send me a copy of last month\'s invoice?', 'My card was declined but the payment still shows as pending.',
      'Please refund the duplicate charge.', 'Where can I download receipts for our accounting team?', 'The invoice total does not match the plan price.', 'We need the VAT number on our invoices.'],
  },
  {
    type: 'incident', priority: 'urgent', team: 'Operations', tags: ['outage'],
    subjects: ['Site is down', 'Outage: dashboard not loading', 'API returning 503 errors', 'Everything is timing out', 'Service unavailable for all users', 'Production down'],
    sentences: ['None of our users can load the dashboard right now.', 'Every API request fails with a 503 error since this morning.', 'The whole service is down for our team.',
      'Requests time out after thirty seconds.', 'This is blocking our entire company.', 'Your status page says operational but nothing works.', 'We are losing sales while the site is unavailable.'],
  },
  {
    type: 'problem', priority: 'high', team: 'Engineering', tags: ['bug'],
    subjects: ['Export button does nothing', 'Bug in the report filters', 'CSV export has wrong dates', 'Search results are missing items', 'Error when saving the form', 'Charts show wrong numbers'],
    sentences: ['When I click export nothing happens.', 'The report filter ignores the date range I select.', 'Dates in the CSV file are shifted by one day.',
      'Search does not find records I created yesterday.', 'Saving the form shows an unexpected error message.', 'Steps to reproduce: open the report, change the filter, click apply.', 'It worked last week but broke after the update.'],
  },
  {
    type: 'question', priority: 'low', team: 'Accounts', tags: ['login'],
    subjects: ['Cannot log in', 'Password reset email never arrives', 'Locked out of my account', 'Two-factor code not accepted', 'How do I add a new user', 'Change the account owner'],
    sentences: ['I forgot my password and the reset link does not arrive.', 'My account is locked after too many attempts.', 'The two-factor code from my phone is rejected.',
      'How can I invite a colleague to our account?', 'Please transfer ownership of the account to my manager.', 'I cannot sign in with single sign-on anymore.', 'The login page keeps asking for my password again.'],
  },
  {
    type: 'task', priority: 'low', team: 'Product', tags: ['feature-request'],
    subjects: ['Feature request: dark mode', 'Would love a Slack integration', 'Suggestion for the mobile app', 'Please add bulk editing', 'Idea: scheduled reports', 'Request: custom fields on contacts'],
    sentences: ['It would be great if the app had a dark mode.', 'Could you add an integration with Slack?', 'We would like to edit many records at once.',
      'A scheduled weekly report by email would save us time.', 'Please consider adding custom fields to contacts.', 'This is not urgent, just an idea for the roadmap.', 'Our team would really value this improvement.'],
  },
];

const FILLER = [
  'Thanks in advance.', 'Let me know if you need anything else.', 'This is for our team account.', 'We use the pro plan.', 'Sent from my phone.',
  'I tried again this morning.', 'Could you please look into it?', 'Our manager asked me to write to you.', 'Best regards.', 'Any help is appreciated.',
];

/** Mulberry32: a tiny seeded generator so the set, and so the measured accuracy, is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateTickets(count: number, seed = 42): GeneratedTicket[] {
  const next = random(seed);
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
  return Array.from({ length: count }, () => {
    const kind = pick(KINDS);
    // One or two on-topic sentences, one or two fillers, and now and then a sentence borrowed from another kind.
    const sentences = [pick(kind.sentences), ...(next() < 0.5 ? [pick(kind.sentences)] : []), pick(FILLER), ...(next() < 0.5 ? [pick(FILLER)] : [])];
    if (next() < 0.25) sentences.push(pick(pick(KINDS).sentences));
    return { subject: pick(kind.subjects), body: sentences.join(' '), type: kind.type, priority: kind.priority, team: kind.team, tags: kind.tags };
  });
}
