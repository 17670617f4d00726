// The compile step's two chores on dist/:
//   node scripts/dist.mjs clean   empties it first, so that a file moved or removed in src/ leaves
//                                 no stale copy behind for a test or the package to pick up
//   node scripts/dist.mjs bin     makes the command line (package.json bin) executable, which tsc
//                                 does not
import { chmod, readFile, rm } from 'node:fs/promises';

const root = new URL('../', import.meta.url);
const [step] = process.argv.slice(2);
if (step === 'clean') {
  await rm(new URL('dist/', root), { recursive: true, force: true });
} else if (step === 'bin') {
  const { bin } = JSON.parse(await readFile(new URL('package.json', root), 'utf8'));
  for (const file of Object.values(bin)) await chmod(new URL(file, root), 0o755);
} else {
  console.error('Usage: node scripts/dist.mjs clean|bin');
  process.exit(2);
}
