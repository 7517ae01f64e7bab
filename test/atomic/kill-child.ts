/**
 * Child process of the atomic-write kill test (bundled by the test): writes the
 * two versions of a large document (read from argv[3] and argv[4]) to argv[2]
 * alternately, as one string and as streamed chunks, forever, printing "ready"
 * once before its first write. The test kills it with SIGKILL at a random moment.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../engine/hosts/atomic-write.ts';

const [target, a, b] = process.argv.slice(2);
const docs = [readFileSync(a, 'utf8'), readFileSync(b, 'utf8')];

function* pieces(text: string): Generator<string> {
  for (let i = 0; i < text.length; i += 65_536) yield text.slice(i, i + 65_536);
}

process.stdout.write('ready\n');
for (let i = 1; ; i++) {
  const text = docs[i % 2];
  await writeFileAtomic(target, i % 4 < 2 ? text : pieces(text));
}
