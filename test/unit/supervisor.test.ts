import pino from 'pino';
import { fromRoot } from '../../common/platform/paths';
import { SupervisedService, type RestartPolicy } from '../../scripts/supervisor';
import { processGone, waitUntil } from '../helpers/wait';

/** `npm start`'s supervisor with real child processes (a stand-in service that crashes on cue). */

interface Line {
  msg: string;
  restartInMs?: number;
}

function supervised(env: Record<string, string>, policy: RestartPolicy) {
  const lines: Line[] = [];
  const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Line) });
  const service = new SupervisedService(
    { name: 'stand-in', script: fromRoot('test/fixtures/supervised-service.js'), env: { ...process.env, ...env }, impact: 'its fields are null' },
    policy,
    log,
  );
  return { service, lines };
}

describe('SupervisedService', () => {
  let running: SupervisedService | undefined;
  afterEach(async () => {
    await running?.stop(2000);
  });

  it('restarts a crashing service with doubling, capped backoff, then gives up on it after the limit', async () => {
    const { service, lines } = supervised({ CRASH_AFTER_MS: '100' }, { backoffMs: 100, maxBackoffMs: 150, limit: 3, windowMs: 60_000 });
    running = service;
    const { url } = await service.start();
    const first = service.pid!;
    expect(url).toContain(`pid=${first}`);
    await waitUntil(
      () => service.givenUp,
      30_000,
      'the supervisor to give up',
      () => JSON.stringify(lines),
    );
    const crashes = lines.filter((l) => l.msg.includes('exited unexpectedly'));
    expect(crashes.map((l) => l.restartInMs)).toEqual([100, 150]);
    expect(crashes[0].msg).toMatch(
      new RegExp(
        `^stand-in \\(pid ${first}\\) exited unexpectedly \\(code 3\\); crash 1 of 3 allowed within 60 s; its fields are null; restarting in 100 ms$`,
      ),
    );
    expect(lines.filter((l) => l.msg.startsWith('stand-in restarted and serving again'))).toHaveLength(2);
    expect(lines.at(-1)!.msg).toBe(
      'stand-in crashed 3 times within 60 s (last: code 3): giving up on it; the other services keep serving, its fields are null; fix the cause and restart npm start',
    );
    expect(processGone(service.pid!)).toBe(true);
    expect(await service.stop()).toBe(true); // nothing left to stop: its crashes were reported when they happened
  });

  it('stops a healthy service with SIGTERM and does not restart it', async () => {
    const { service, lines } = supervised({ CRASH_AFTER_MS: '' }, { backoffMs: 10, maxBackoffMs: 10, limit: 3, windowMs: 60_000 });
    running = service;
    await service.start();
    const pid = service.pid!;
    expect(await service.stop()).toBe(true);
    expect(processGone(pid)).toBe(true);
    expect(lines.map((l) => l.msg)).toEqual(['stand-in stopped']);
    expect(service.pid).toBe(pid);
  });

  it('rejects a first start that fails, without restarting it', async () => {
    const { service: broken, lines } = supervised({ FAIL_AT_START: '1' }, { backoffMs: 10, maxBackoffMs: 10, limit: 3, windowMs: 60_000 });
    await expect(broken.start()).rejects.toThrow(/stand-in exited during start-up \(code 1\)/);
    expect(broken.givenUp).toBe(false);
    expect(lines).toEqual([]); // no crash report and no restart: a broken setup stops npm start instead
  });

  it('gives up when the preparation of a restart fails, saying why', async () => {
    const lines: Line[] = [];
    const service = new SupervisedService(
      {
        name: 'stand-in',
        script: fromRoot('test/fixtures/supervised-service.js'),
        env: { ...process.env, CRASH_AFTER_MS: '50' },
        impact: 'its fields are null',
        beforeRestart: () => Promise.reject(new Error('the old one is still there')),
      },
      { backoffMs: 10, maxBackoffMs: 10, limit: 3, windowMs: 60_000 },
      pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Line) }),
    );
    running = service;
    await service.start();
    await waitUntil(
      () => service.givenUp,
      30_000,
      'the supervisor to give up',
      () => JSON.stringify(lines),
    );
    expect(lines.at(-1)!.msg).toBe('stand-in cannot be restarted (the old one is still there): giving up on it');
  });
});
