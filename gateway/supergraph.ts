import fs from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';

/** Reads and checks the composed supergraph; the gateway never composes or introspects at run time. */
export function readSupergraph(path: string): string {
  let sdl: string;
  try {
    sdl = fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(
      `SUPERGRAPH_PATH=${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}): run \`npm run compose\` or point SUPERGRAPH_PATH at a composed supergraph`,
    );
  }
  try {
    Supergraph.build(sdl, { validateSupergraph: true });
  } catch (err) {
    throw new Error(`SUPERGRAPH_PATH=${path} is not a valid supergraph: ${(err as Error).message.split('\n')[0]}`);
  }
  return sdl;
}
