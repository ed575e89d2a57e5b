import { endpointUrlProblem } from './endpoint-url';

describe('endpoint URLs', () => {
  const strict = { allowHttp: false, allowPrivateAddresses: false };
  const relaxed = { allowHttp: true, allowPrivateAddresses: true };

  it('accepts https to a public host, and http or private hosts only when allowed', () => {
    expect(endpointUrlProblem('https://hooks.example.com/deskline', strict)).toBeNull();
    expect(endpointUrlProblem('https://93.184.216.34/hook', strict)).toBeNull();
    expect(endpointUrlProblem('http://hooks.example.com/', strict)).toMatch(/https/);
    expect(endpointUrlProblem('http://127.0.0.1:4000/hook', relaxed)).toBeNull();
    expect(endpointUrlProblem('https://127.0.0.1/hook', strict)).toMatch(/loopback/);
    expect(endpointUrlProblem('https://[::ffff:169.254.169.254]/latest', strict)).toMatch(/metadata/);
    expect(endpointUrlProblem('https://[::1]/', strict)).toMatch(/loopback/);
    for (const host of ['2130706433', '0177.0.0.1', '0x7f.1', 'localhost', 'hooks.localhost', '[fd00:ec2::254]', '0.0.0.0', '100.64.0.1']) {
      expect(endpointUrlProblem(`https://${host}/hook`, strict)).toMatch(/loopback/);
    }
  });

  it('refuses other schemes, credentials, relative and oversized URLs', () => {
    expect(endpointUrlProblem('ftp://example.com/x', relaxed)).toMatch(/https/);
    expect(endpointUrlProblem('file:///etc/passwd', relaxed)).toMatch(/https/);
    expect(endpointUrlProblem('https://user:pass@example.com/', relaxed)).toMatch(/credentials/);
    expect(endpointUrlProblem('/webhooks', relaxed)).toMatch(/absolute URL/);
    expect(endpointUrlProblem(`https://example.com/${'a'.repeat(2100)}`, relaxed)).toMatch(/2048/);
  });
});
