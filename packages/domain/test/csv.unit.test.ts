// The CSV writer (RFC 4180) as a spreadsheet receives it: quoting, line ends, and text that would
// otherwise be run as a formula.
import t from 'tap'
import { csvDocument } from '../src/index.js'

const ROWS: readonly { name: string; value: string | number | null; then: string }[] = [
  { name: 'plain text', value: 'B001', then: 'B001' },
  { name: 'a comma', value: 'a,b', then: '"a,b"' },
  { name: 'a quote', value: 'say "no"', then: '"say ""no"""' },
  { name: 'a line break', value: 'one\ntwo', then: '"one\ntwo"' },
  { name: 'Chinese text', value: '延期还本付息', then: '延期还本付息' },
  { name: 'empty', value: null, then: '' },
  { name: 'a number', value: 12, then: '12' },
  { name: 'a negative number', value: -5, then: '-5' },
  { name: 'a negative amount as text', value: '-500', then: '-500' },
  { name: 'a formula', value: '=HYPERLINK("http://x")', then: '"\'=HYPERLINK(""http://x"")"' },
  { name: 'a plus formula', value: '+1+1', then: "'+1+1" },
  { name: 'an at formula', value: '@SUM(A1)', then: "'@SUM(A1)" },
  { name: 'a minus formula', value: '-A1', then: "'-A1" },
  { name: 'a leading tab', value: '\tx', then: "'\tx" },
]

t.test('each field as written', async (t) => {
  for (const row of ROWS) t.equal(csvDocument(['h'], [[row.value]]), `h\r\n${row.then}\r\n`, `given ${row.name}`)
})

t.test('a document: header first, CRLF after every row', async (t) => {
  t.equal(csvDocument(['a', 'b'], [[1, 'x'], [2, null]]), 'a,b\r\n1,x\r\n2,\r\n')
  t.equal(csvDocument(['a'], []), 'a\r\n', 'no rows: the header alone')
})
