import sanitizeHtml from 'sanitize-html';

// Lines that introduce the quoted history in the clients people use: Gmail and Apple Mail ("On … wrote:", also
// localised), Outlook's separator or its From:/Sent: block.
const ATTRIBUTION = [/^on\b.{0,400}\bwrote:\s*$/i, /^am\b.{0,400}\bschrieb\b.{0,200}:\s*$/i, /^le\b.{0,400}\ba écrit\s*:\s*$/i, /^el\b.{0,400}\bescribió:\s*$/i];
const OUTLOOK_SEPARATOR = /^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine)\s*-{2,}\s*$/i;
const OUTLOOK_RULE = /^\s*_{10,}\s*$/;
const HEADER_FROM = /^\s*\*?(from|von|de)\s*:\*?\s+\S/i;
const HEADER_SENT = /^\s*\*?(sent|date|gesendet|envoyé)\s*:\*?\s+\S/i;
const QUOTED = /^\s*>/;

function startsHistory(lines: string[], index: number): boolean {
  const line = lines[index].trim();
  const withNext = `${line} ${(lines[index + 1] ?? '').trim()}`;
  if (ATTRIBUTION.some((pattern) => pattern.test(line) || pattern.test(withNext))) return true;
  if (OUTLOOK_SEPARATOR.test(line)) return true;
  if (OUTLOOK_RULE.test(line) && HEADER_FROM.test(lines[index + 1] ?? '')) return true;
  if (HEADER_FROM.test(line)) return lines.slice(index + 1, index + 4).some((next) => HEADER_SENT.test(next));
  return false;
}

/**
 * The part of a reply its author wrote: everything before the quoted history. When stripping would leave nothing
 * (an answer written inline between quotes), the text is returned whole rather than losing what was written.
 */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let cut = lines.length;
  for (let index = 0; index < lines.length; index++) {
    if (startsHistory(lines, index)) {
      cut = index;
      break;
    }
  }
  // A trailing block of quoted lines with no attribution above it.
  let tail = cut;
  while (tail > 0 && (QUOTED.test(lines[tail - 1]) || lines[tail - 1].trim() === '')) tail--;
  if (tail < cut && lines.slice(tail, cut).some((line) => QUOTED.test(line))) cut = tail;
  const visible = lines.slice(0, cut).join('\n').trim();
  return visible || text.trim();
}

const QUOTE_CLASSES = /\b(gmail_quote|gmail_extra|moz-cite-prefix|yahoo_quoted|OutlookMessageHeader)\b/;
const QUOTE_IDS = /^(divRplyFwdMsg|appendonsend|x_divRplyFwdMsg)$/;

/** The HTML counterpart: drops blockquotes and the containers Gmail, Apple Mail, Thunderbird and Outlook wrap history in. */
export function stripQuotedHtml(html: string): string {
  // Outlook puts the history after its reply header as siblings, so everything from that header on is history.
  const outlook = html.search(/<div[^>]+id=["']?(divRplyFwdMsg|appendonsend)/i);
  const head = outlook > 0 ? html.slice(0, outlook) : html;
  return sanitizeHtml(head, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    exclusiveFilter: (frame) =>
      frame.tag === 'blockquote' || QUOTE_CLASSES.test(frame.attribs.class ?? '') || QUOTE_IDS.test(frame.attribs.id ?? ''),
  });
}
