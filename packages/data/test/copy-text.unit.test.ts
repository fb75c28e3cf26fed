// COPY's text format both ways: any text (tabs, newlines, backslashes, the two characters `\N`,
// characters split across chunks) comes back as it went, and NULL stays NULL.
import fc from 'fast-check'
import t from 'tap'
import { copyField, copyLine, fieldOfCopy, fieldsOfCopyLine, linesOf } from '../src/index.js'

t.test('a field written as COPY text reads back the same; NULL is \\N and stays NULL', async (t) => {
  const rows = [
    { given: null, written: '\\N' },
    { given: '\\N', written: '\\\\N' },
    { given: 'a\tb', written: 'a\\tb' },
    { given: 'line\nnext\r', written: 'line\\nnext\\r' },
    { given: 'C:\\path', written: 'C:\\\\path' },
    { given: '纾困 {"a":"\\u0001"}', written: '纾困 {"a":"\\\\u0001"}' },
    { given: '', written: '' },
  ]
  for (const row of rows) {
    t.equal(copyField(row.given), row.written, `given ${JSON.stringify(row.given)}: written ${row.written}`)
    t.equal(fieldOfCopy(row.written), row.given, 'and read back')
  }
  fc.assert(
    fc.property(fc.array(fc.option(fc.string({ unit: 'binary' }), { nil: null }), { minLength: 1, maxLength: 6 }), (fields) => {
      const line = copyLine(fields)
      t.equal(line.indexOf('\n'), line.length - 1, 'one line, whatever the fields hold')
      return JSON.stringify(fieldsOfCopyLine(line.slice(0, -1))) === JSON.stringify(fields)
    }),
  )
})

t.test('lines are split across chunks, also inside a character', async (t) => {
  const text = '第一行\tx\n第二行\n\nlast'
  const bytes = Buffer.from(text, 'utf8')
  for (let cut = 0; cut <= bytes.length; cut++) {
    const lines: string[] = []
    for await (const l of linesOf([bytes.subarray(0, cut), bytes.subarray(cut)])) lines.push(l)
    t.same(lines, ['第一行\tx', '第二行', '', 'last'], `cut at byte ${cut}`)
  }
})
