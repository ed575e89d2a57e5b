import { isForbiddenAddress, isLoopbackName } from './forbidden-addresses';
import { ForbiddenAddressError, forbiddenResolution, permittedAddress } from './guarded-lookup';
import { hostProblem } from './host-policy';
import { ipAddressOf } from './ip-address';

describe('forbidden addresses', () => {
  it.each([
    '127.0.0.1', '127.1.2.3', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.100.100.200', '100.64.0.1',
    '0.0.0.0', '0.1.2.3', '224.0.0.1', '239.255.255.250', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00:ec2::254', 'fc00::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '::ffff:10.0.0.1', '64:ff9b::10.0.0.1', '::127.0.0.1', 'fe80::1%eth0',
  ])('refuses %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '192.169.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])('allows %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });

  it('refuses what is not an address at all', () => {
    expect(isForbiddenAddress('example.com')).toBe(true);
  });
});

describe('IP literals in every spelling', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'], ['2130706433', '127.0.0.1'], ['0177.0.0.1', '127.0.0.1'], ['0x7f.1', '127.0.0.1'], ['0x7f000001', '127.0.0.1'],
    ['127.1', '127.0.0.1'], ['0', '0.0.0.0'], ['0xa9.0xfe.0xa9.0xfe', '169.254.169.254'], ['2852039166', '169.254.169.254'],
    ['[::1]', '::1'], ['::FFFF:127.0.0.1', '::ffff:127.0.0.1'], ['[fd00:ec2::254]', 'fd00:ec2::254'],
  ])('reads %s as %s', (host, address) => {
    expect(ipAddressOf(host)).toBe(address);
  });

  it.each(['example.com', 'deadbeef', 'imap.0x7f.example', 'localhost', '1.2.3.256'])('leaves %s a name', (host) => {
    expect(ipAddressOf(host)).toBeNull();
  });
});

describe('hosts under the address policy', () => {
  const strict = { allowPrivateAddresses: false };
  const relaxed = { allowPrivateAddresses: true };

  it.each(['127.0.0.1', 'localhost', 'LOCALHOST.', 'imap.localhost', '[::1]', '::1', '0.0.0.0', '169.254.169.254', '10.0.0.1', '::ffff:127.0.0.1',
    '2130706433', '0177.0.0.1', '0x7f.1', 'fd00:ec2::254', '100.64.1.1', '224.0.0.1'])('refuses %s', (host) => {
    expect(hostProblem(host, strict)).toMatch(/loopback, private, link-local or metadata/);
    expect(hostProblem(host, relaxed)).toBeNull();
  });

  it('accepts public names and addresses, and refuses what is no host at all', () => {
    expect(hostProblem('imap.example.com', strict)).toBeNull();
    expect(hostProblem('93.184.216.34', strict)).toBeNull();
    expect(hostProblem('[2606:4700::1111]', strict)).toBeNull();
    for (const host of ['imap.example.com:993', 'https://imap.example.com', 'a b', 'user@host', '', `${'a'.repeat(64)}.com`]) {
      expect(hostProblem(host, relaxed)).toMatch(/host name or an IP address/);
    }
  });
});

describe('names at connect time', () => {
  it('refuses loopback names without asking the resolver, and forbidden literals in any spelling', async () => {
    expect(isLoopbackName('mail.localhost')).toBe(true);
    await expect(permittedAddress('mail.localhost')).rejects.toBeInstanceOf(ForbiddenAddressError);
    await expect(permittedAddress('0x7f.1')).rejects.toBeInstanceOf(ForbiddenAddressError);
    await expect(permittedAddress('[::ffff:169.254.169.254]')).rejects.toBeInstanceOf(ForbiddenAddressError);
    await expect(permittedAddress('93.184.216.34')).resolves.toEqual({ address: '93.184.216.34', family: 4 });
  });

  it('checks what a name resolves to', async () => {
    expect(await forbiddenResolution('localhost')).toMatch(/loopback/);
    expect(await forbiddenResolution('name-that-does-not-exist.invalid')).toMatch(/does not resolve/);
  });
});
