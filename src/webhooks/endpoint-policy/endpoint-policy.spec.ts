import { endpointUrlProblem } from './endpoint-url';
import { isForbiddenAddress } from './forbidden-addresses';
import { forbiddenResolution } from './guarded-lookup';

describe('forbidden addresses', () => {
  it.each([
    '127.0.0.1', '127.1.2.3', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.100.100.200',
    '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00:ec2::254', 'fc00::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '64:ff9b::10.0.0.1', '::127.0.0.1', 'fe80::1%eth0',
  ])('refuses %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])('allows %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });

  it('refuses what is not an address at all', () => {
    expect(isForbiddenAddress('example.com')).toBe(true);
  });
});

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
  });

  it('refuses other schemes, credentials, relative and oversized URLs', () => {
    expect(endpointUrlProblem('ftp://example.com/x', relaxed)).toMatch(/https/);
    expect(endpointUrlProblem('file:///etc/passwd', relaxed)).toMatch(/https/);
    expect(endpointUrlProblem('https://user:pass@example.com/', relaxed)).toMatch(/credentials/);
    expect(endpointUrlProblem('/webhooks', relaxed)).toMatch(/absolute URL/);
    expect(endpointUrlProblem(`https://example.com/${'a'.repeat(2100)}`, relaxed)).toMatch(/2048/);
  });

  it('checks what a name resolves to', async () => {
    expect(await forbiddenResolution('localhost')).toMatch(/loopback/);
    expect(await forbiddenResolution('name-that-does-not-exist.invalid')).toMatch(/does not resolve/);
  });
});
