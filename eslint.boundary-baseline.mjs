// Imports that break the module map today, each to be removed by issue 18's boundary work. Keyed by the importing
// file, then by the zone it breaks (zone names are in eslint.config.mjs), then the imported files it may still reach.
// Only these exact imports are excepted: the same file importing anything else across a boundary still fails.
// Delete an entry as its fix lands; never add one for new code.
export const boundaryBaseline = {
};
