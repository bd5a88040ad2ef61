import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../common/platform/paths';

/** `../shared` beside the checkout: the seed documents and the registry data the seeds were copied from. */
export const SHARED_ROOT = path.resolve(PROJECT_ROOT, '..', 'shared');

export interface SharedData {
  /** Absolute path of `../shared/<relative>`. */
  path: string;
  present: boolean;
  /**
   * `describe` when the path exists. When it does not: a visible skip (reason printed once), or,
   * under CI (which always has ../shared), a block whose every test fails with the reason.
   */
  describe(name: string, fn: () => void): void;
}

/** The checks that need `../shared/<relative>`; a clone without it skips them, visibly, and CI fails them. */
export function sharedData(relative: string): SharedData {
  const target = path.join(SHARED_ROOT, relative);
  const present = fs.existsSync(target);
  const reason = `${target} is missing (../shared is not beside this checkout)`;
  return {
    path: target,
    present,
    describe(name, fn) {
      if (present) return describe(name, fn);
      if (process.env.CI) {
        return describe(name, () => {
          // A failing hook fails every test of the block with this message, instead of skipping them.
          beforeAll(() => {
            throw new Error(`${reason}: CI must have it, so these checks fail instead of being skipped`);
          });
          fn();
        });
      }
      console.warn(`skipping "${name}": ${reason}; set CI=1 to make this a failure`);
      return describe.skip(`${name} [skipped: ${reason}]`, fn);
    },
  };
}
