import { toSafeHighlight } from './search-highlight';
import { MATCH_END, MATCH_START } from './search.repository';

describe('toSafeHighlight', () => {
  it('escapes the text and marks only the matches', () => {
    expect(toSafeHighlight(`<script>x</script> ${MATCH_START}refund${MATCH_END} & "more"`)).toBe(
      '&lt;script&gt;x&lt;/script&gt; <mark>refund</mark> &amp; &quot;more&quot;',
    );
  });

  it('keeps null as null', () => {
    expect(toSafeHighlight(null)).toBeNull();
  });
});
