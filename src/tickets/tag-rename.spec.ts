import { renameTagIn, renameTagInQuery } from './tag-rename';

describe('tag rename', () => {
  it('renames or removes a tag in a list, case-insensitively, without duplicates', () => {
    expect(renameTagIn(['VIP', 'billing'], 'vip', 'gold')).toEqual(['gold', 'billing']);
    expect(renameTagIn(['vip', 'gold'], 'vip', 'gold')).toEqual(['gold']);
    expect(renameTagIn(['vip', 'billing'], 'vip', null)).toEqual(['billing']);
    expect(renameTagIn(['billing'], 'vip', 'gold')).toBeNull();
  });

  it('renames tag: terms of a search-box query and leaves the rest', () => {
    expect(renameTagInQuery('printer tag:VIP -tag:vip status:open', 'vip', 'gold')).toBe('printer tag:gold -tag:gold status:open');
    expect(renameTagInQuery('tag:vip printer', 'vip', null)).toBe('printer');
    expect(renameTagInQuery('tag:vipx vip', 'vip', 'gold')).toBeNull();
  });
});
