import { contentDisposition, downloadName } from './content-disposition';

describe('attachment download names', () => {
  it.each([
    ['../../../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\System32\\drivers\\etc\\hosts', 'hosts'],
    ['C:\\boot.ini', 'boot.ini'],
    ['/var/mail/../secret.txt', 'secret.txt'],
    ['report.pdf', 'report.pdf'],
    ['a\u0000b\r\nc\u0007d.txt', 'abcd.txt'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['.bashrc', 'bashrc'],
    ['..', 'attachment'],
    ['../', 'attachment'],
    ['', 'attachment'],
    ['Résumé 履歴書.pdf', 'Résumé 履歴書.pdf'],
  ])('offers %j as %j', (stored, offered) => {
    expect(downloadName(stored)).toBe(offered);
  });

  it('caps long names by character, never splitting one', () => {
    expect(Array.from(downloadName('😀'.repeat(300)))).toHaveLength(200);
  });

  it('writes an ASCII fallback and an RFC 8187 filename*', () => {
    expect(contentDisposition('../../../../etc/passwd')).toBe(`attachment; filename="passwd"; filename*=UTF-8''passwd`);
    expect(contentDisposition('say "hi" 100%.txt')).toBe(`attachment; filename="say _hi_ 100_.txt"; filename*=UTF-8''say%20%22hi%22%20100%25.txt`);
    expect(contentDisposition("it's (draft)*.txt")).toBe(`attachment; filename="it's (draft)*.txt"; filename*=UTF-8''it%27s%20%28draft%29%2A.txt`);
    expect(contentDisposition('Résumé 履歴書.pdf')).toBe(`attachment; filename="R_sum_ ___.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%E5%B1%A5%E6%AD%B4%E6%9B%B8.pdf`);
    expect(contentDisposition('a\r\nSet-Cookie: x=1')).toBe(`attachment; filename="aSet-Cookie: x=1"; filename*=UTF-8''aSet-Cookie%3A%20x%3D1`);
  });
});
