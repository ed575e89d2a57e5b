import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, chownSync, constants, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { ImapFlow } from 'imapflow';

export const DOVECOT_MISSING = 'dovecot is not installed (apt-get install dovecot-imapd, as .ci/run does)';

/** Debian installs dovecot in /usr/sbin, which is not on an unprivileged user's PATH. */
export function findDovecot(): string | null {
  return findProgram('dovecot');
}

function findProgram(name: string): string | null {
  const directories = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const directory of directories.filter(Boolean)) {
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export interface TestDovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The user's INBOX Maildir, for tests that reach behind the server's back. */
  inbox: string;
  /** An IMAP session as the test user, closed when `work` ends. */
  session<T>(work: (client: ImapFlow) => Promise<T>): Promise<T>;
  /** Delivers a message into INBOX the way an MTA would: APPEND without flags, so it arrives unseen. */
  deliver(raw: Buffer): Promise<void>;
  /**
   * Makes Dovecot forget the INBOX's UIDs so it assigns a new UIDVALIDITY and numbers every message from 1 again, as
   * after a mailbox is restored or migrated. The messages themselves stay.
   */
  resetUidValidity(): Promise<void>;
  /** Disconnects every IMAP session of the test user, as a server restart or a network drop would. */
  kick(): Promise<void>;
  stop(): Promise<void>;
}

interface Account {
  name: string;
  uid: number;
  gid: number;
}

function systemAccount(name: string): Account | null {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith(`${name}:`));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { name, uid: Number(uid), gid: Number(gid) };
}

/**
 * Dovecot's own processes and the mail owner. As root, Dovecot drops to its unprivileged system users (and never
 * serves mail as uid 0); as anyone else it runs entirely as that user ("rootless").
 */
function accounts(): { internal: string; internalGroup: string | null; login: string; mail: Account } {
  const me = userInfo();
  if (me.uid !== 0) {
    const self = { name: me.username, uid: me.uid, gid: me.gid };
    const group = readFileSync('/etc/group', 'utf8').split('\n').map((entry) => entry.split(':')).find((fields) => Number(fields[2]) === me.gid);
    if (!group) throw new Error(`no group name for gid ${me.gid}, which Dovecot needs to run as this user`);
    return { internal: self.name, internalGroup: group[0], login: self.name, mail: self };
  }
  const nobody = systemAccount('nobody');
  const internal = systemAccount('dovecot') ?? nobody;
  const login = systemAccount('dovenull') ?? nobody;
  if (!internal || !login || !nobody) throw new Error('no unprivileged account (dovecot, dovenull or nobody) for Dovecot to run as');
  return { internal: internal.name, internalGroup: null, login: login.name, mail: internal };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once the server sends its IMAP greeting. */
function greeting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('data', (chunk) => done(chunk.toString().startsWith('* OK')));
    socket.once('error', () => done(false));
  });
}

function configuration(root: string, port: number, who: ReturnType<typeof accounts>): string {
  // Dovecot 2.3 syntax (Debian bookworm). Nothing here reads /etc/dovecot.
  return `
base_dir = ${root}/run
state_dir = ${root}/state
instance_name = deskline-test-${port}
log_path = ${root}/dovecot.log
info_log_path = ${root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${who.internal}
default_login_user = ${who.login}
${who.internalGroup ? `default_internal_group = ${who.internalGroup}` : ''}
first_valid_uid = 1
mail_location = maildir:${root}/mail/%n
mail_uid = ${who.mail.uid}
mail_gid = ${who.mail.gid}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${root}/users
}
userdb {
  driver = static
  args = home=${root}/mail/%n
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`;
}

/**
 * A private Dovecot on a free loopback port over a temporary directory, started and stopped by the test that needs it.
 * Throws if the binary is missing: callers check `findDovecot()` first and skip with a reason.
 */
export async function startDovecot(): Promise<TestDovecot> {
  const binary = findDovecot();
  if (!binary) throw new Error('dovecot is not installed');
  const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  // 2.4 (Debian trixie) renamed most settings; say so instead of failing on the first unknown one.
  if (!version.startsWith('2.3.')) throw new Error(`test/support/dovecot.ts writes Dovecot 2.3 settings; this is Dovecot ${version}`);
  const who = accounts();
  const root = mkdtempSync(join(tmpdir(), 'deskline-dovecot-'));
  const user = 'support@acme.test';
  const password = `imap-${randomBytes(8).toString('hex')}`;
  for (const directory of ['run', 'state', 'mail']) mkdirSync(join(root, directory));
  writeFileSync(join(root, 'users'), `${user}:{PLAIN}${password}\n`);
  if (userInfo().uid === 0) {
    // The mail owner creates the Maildir; the test root itself stays root's.
    chownSync(join(root, 'mail'), who.mail.uid, who.mail.gid);
    chmodSync(root, 0o755);
  }

  let child: ChildProcess | null = null;
  let port = 0;
  let output = '';
  // Another process may take the free port before Dovecot binds it; a fresh port is the cure.
  for (let attempt = 0; attempt < 3 && !child; attempt++) {
    port = await freePort();
    output = '';
    writeFileSync(join(root, 'dovecot.conf'), configuration(root, port, who));
    // The shell stops Dovecot when its stdin closes, which also happens when the test process dies without stop().
    const started = spawn('sh', ['-c', '"$0" -F -c "$1" & server=$!; cat >/dev/null; kill -TERM $server; wait $server', binary, join(root, 'dovecot.conf')], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    started.stdout.on('data', (chunk) => (output += chunk));
    started.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    let exitedEarly = false;
    void exited.then(() => (exitedEarly = true));
    // A configuration error leaves the wrapper waiting on stdin, so a fatal message also ends the wait.
    while (Date.now() < deadline && !exitedEarly && !/fatal/i.test(output)) {
      if (await greeting(port)) {
        child = started;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!child && !exitedEarly) {
      started.stdin.end();
      await exited;
    }
  }
  if (!child) {
    let log = '';
    try {
      log = readFileSync(join(root, 'dovecot.log'), 'utf8');
    } catch {
      // never got as far as logging
    }
    rmSync(root, { recursive: true, force: true });
    throw new Error(`Dovecot did not start on 127.0.0.1:${port}:\n${output}\n${log}`.trim());
  }
  const running = child;

  const session = async <T>(work: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  };
  const inbox = join(root, 'mail', user.split('@')[0]);

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    inbox,
    session,
    async deliver(raw) {
      await session((client) => client.append('INBOX', raw, []));
    },
    async resetUidValidity() {
      // Dovecot keeps UIDs in dovecot-uidlist and its indexes; without them it rescans new/ and cur/ from scratch.
      // The dovecot-uidvalidity.* marker stays, so the new UIDVALIDITY is guaranteed to differ from the old one.
      for (const name of readdirSync(inbox)) {
        if (name === 'dovecot-uidlist' || name.startsWith('dovecot.index') || name.startsWith('dovecot.list.index')) rmSync(join(inbox, name), { force: true });
      }
    },
    async kick() {
      const doveadm = findProgram('doveadm');
      if (!doveadm) throw new Error('doveadm is not installed (it comes with dovecot-core)');
      execFileSync(doveadm, ['-c', join(root, 'dovecot.conf'), 'kick', user], { stdio: 'pipe' });
    },
    async stop() {
      const exited = new Promise((resolve) => running.once('exit', resolve));
      if (running.exitCode === null && running.signalCode === null) {
        running.stdin!.end();
        await exited;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
