import { definitionProblems, droppedOptions, FieldDefinition, isDate, missingToSolve, validateValues, visibleToRequesters } from './field-rules';

const field = (overrides: Partial<FieldDefinition> & Pick<FieldDefinition, 'key' | 'type'>): FieldDefinition => ({
  label: overrides.key, options: [], pattern: null, required: 'never', visibleToRequesters: false, editableByRequesters: false, position: 0, ...overrides,
});

const tier = field({ key: 'tier', type: 'dropdown', options: [{ value: 'gold', label: 'Gold' }, { value: 'silver', label: 'Silver' }] });
const seats = field({ key: 'seats', type: 'integer' });
const amount = field({ key: 'amount', type: 'decimal' });
const renewal = field({ key: 'renewal', type: 'date' });
const vip = field({ key: 'vip', type: 'checkbox' });
const areas = field({ key: 'areas', type: 'multiselect', options: [{ value: 'billing', label: 'Billing' }, { value: 'api', label: 'API' }] });
const order = field({ key: 'order', type: 'regex', pattern: 'ORD-[0-9]{4}' });
const cause = field({ key: 'cause', type: 'text', required: 'on_solve' });
const all = [tier, seats, amount, renewal, vip, areas, order, cause];

describe('validateValues', () => {
  it('accepts values of every type that fit', () => {
    expect(validateValues(all, { tier: 'gold', seats: 3, amount: 9.5, renewal: '2026-02-28', vip: false, areas: ['api'], order: 'ORD-1234', cause: 'x' })).toEqual([]);
  });

  it('names customFields.<key> for each wrong value', () => {
    const errors = validateValues(all, { tier: 'bronze', seats: 1.5, amount: '3', renewal: '2026-02-30', vip: 'yes', areas: ['api', 'nope'], order: 'ORD-12' });
    expect(errors.map((error) => error.field).sort()).toEqual(
      ['customFields.amount', 'customFields.areas', 'customFields.order', 'customFields.renewal', 'customFields.seats', 'customFields.tier', 'customFields.vip'],
    );
    expect(errors.find((error) => error.field === 'customFields.tier')!.message).toContain('bronze');
  });

  it('lets keys without a definition through unless strict, and refuses them to requesters', () => {
    expect(validateValues(all, { legacy: 1 })).toEqual([]);
    expect(validateValues(all, { legacy: 1 }, { strict: true })).toEqual([{ field: 'customFields.legacy', message: expect.any(String) }]);
    expect(validateValues(all, { legacy: 1 }, { requester: true })).toHaveLength(1);
  });

  it('lets requesters write only fields editable by requesters', () => {
    const editable = field({ key: 'size', type: 'integer', visibleToRequesters: true, editableByRequesters: true });
    expect(validateValues([editable, seats], { size: 2 }, { requester: true })).toEqual([]);
    expect(validateValues([editable, seats], { seats: 2 }, { requester: true })).toEqual([{ field: 'customFields.seats', message: 'is not editable by requesters' }]);
  });

  it('requires always-required fields on create, and refuses removing them in a patch', () => {
    const must = field({ key: 'region', type: 'text', required: 'always' });
    expect(validateValues([must], {})).toEqual([{ field: 'customFields.region', message: 'is required' }]);
    expect(validateValues([must], {}, { partial: true })).toEqual([]);
    expect(validateValues([must], { region: null }, { partial: true })).toHaveLength(1);
    expect(validateValues([must], { region: ' ' }, { partial: true })).toHaveLength(1);
  });
});

describe('missingToSolve and visibleToRequesters', () => {
  it('lists empty on-solve fields', () => {
    expect(missingToSolve(all, {})).toEqual(['cause']);
    expect(missingToSolve(all, { cause: '' })).toEqual(['cause']);
    expect(missingToSolve(all, { cause: 'done' })).toEqual([]);
  });

  it('keeps only visible values', () => {
    const shown = field({ key: 'size', type: 'integer', visibleToRequesters: true });
    expect(visibleToRequesters([shown, seats], { size: 1, seats: 2, legacy: 3 })).toEqual({ size: 1 });
  });
});

describe('definitionProblems', () => {
  it('needs unique options for choice types and a compiling pattern for regex', () => {
    expect(definitionProblems({ ...tier, options: [] }).map((error) => error.field)).toEqual(['options']);
    expect(definitionProblems({ ...tier, options: [{ value: 'a', label: 'A' }, { value: 'a', label: 'B' }] }).map((error) => error.field)).toEqual(['options[1].value']);
    expect(definitionProblems({ ...order, pattern: '(' }).map((error) => error.field)).toEqual(['pattern']);
    expect(definitionProblems({ ...seats, options: tier.options }).map((error) => error.field)).toEqual(['options']);
    expect(definitionProblems({ ...seats, key: 'Bad Key' }).map((error) => error.field)).toEqual(['key']);
    expect(definitionProblems(tier)).toEqual([]);
  });

  it('reports dropped option values and checks dates strictly', () => {
    expect(droppedOptions(tier.options, [{ value: 'gold', label: 'Golden' }])).toEqual(['silver']);
    expect(isDate('2024-02-29')).toBe(true);
    expect(isDate('2023-02-29')).toBe(false);
  });
});
