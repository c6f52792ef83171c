import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Journal } from '../../src/store/journal.ts';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'atmn-journal-')), 'j.jsonl');

describe('Journal (append-only JSON lines, issue 5 item 5)', () => {
  test('entries survive a reopen in append order', async () => {
    const path = fresh();
    const { journal } = Journal.open(path);
    await journal.append({ seq: 1, op: 'a' });
    await journal.append({ seq: 2, op: 'b', nested: { x: [1, 2] } });
    await journal.close();
    const { journal: again, contents } = Journal.open(path);
    expect(contents).toEqual({ entries: [{ seq: 1, op: 'a' }, { seq: 2, op: 'b', nested: { x: [1, 2] } }], droppedBytes: 0 });
    await again.close();
  });

  test('a torn last line is dropped and cut off, so the next append starts a clean line', async () => {
    const path = fresh();
    writeFileSync(path, '{"seq":1}\n{"seq":2}\n{"seq":3,"op":"tra');
    const { journal, contents } = Journal.open(path);
    expect(contents.entries).toEqual([{ seq: 1 }, { seq: 2 }]);
    expect(contents.droppedBytes).toBe('{"seq":3,"op":"tra'.length);
    expect(readFileSync(path, 'utf8')).toBe('{"seq":1}\n{"seq":2}\n');
    await journal.append({ seq: 3 });
    await journal.close();
    expect(Journal.open(path).contents.entries).toEqual([{ seq: 1 }, { seq: 2 }, { seq: 3 }]);
  });

  test('a complete-looking last object without its newline is torn too (it was never acknowledged)', () => {
    const path = fresh();
    writeFileSync(path, '{"seq":1}\n{"seq":2}');
    expect(Journal.open(path).contents).toEqual({ entries: [{ seq: 1 }], droppedBytes: 9 });
  });

  test('NUL padding after the last line (a file extended before its data landed) is dropped', () => {
    const path = fresh();
    writeFileSync(path, '{"seq":1}\n');
    appendFileSync(path, Buffer.alloc(512));
    const { contents } = Journal.open(path);
    expect(contents.entries).toEqual([{ seq: 1 }]);
    expect(contents.droppedBytes).toBe(512);
  });

  test('damage followed by good lines is not a crash artefact: state_corrupt naming the line', () => {
    const path = fresh();
    writeFileSync(path, '{"seq":1}\nGARBAGE\n{"seq":3}\n');
    expect(() => Journal.open(path)).toThrow(expect.objectContaining({ code: 'state_corrupt', message: expect.stringContaining('line 2') }));
  });

  test('concurrent appends are group-committed, all durable, in call order', async () => {
    const path = fresh();
    const { journal } = Journal.open(path);
    const writes = Array.from({ length: 2000 }, (_, i) => journal.append({ seq: i + 1 }));
    expect(journal.busy).toBe(true);
    await Promise.all(writes);
    expect(journal.busy).toBe(false);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2000);
    expect(lines.map((l) => JSON.parse(l).seq)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
    journal.truncate();
    expect(readFileSync(path, 'utf8')).toBe('');
    await journal.close();
  });
});
