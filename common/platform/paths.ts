import fs from 'node:fs';
import path from 'node:path';

/** The repository root, found from this file whether it runs from source (ts-jest) or from dist/. */
export const PROJECT_ROOT: string = (() => {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'seeds'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the project root above ${__dirname}`);
    dir = up;
  }
})();

export function fromRoot(...parts: string[]): string {
  return path.resolve(PROJECT_ROOT, ...parts);
}
