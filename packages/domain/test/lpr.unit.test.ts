import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import {
  LPR_TABLE_FIXTURE,
  addDays,
  lprAsOf,
  lprTenorForTerm,
  parseDate,
  parseLprCsv,
  validateLprTable,
  type CalendarDate,
  type LprTable,
} from '../src/index.js'

const d = parseDate

t.test('every change point: the day before keeps the old rate, the day itself has the new one', async (t) => {
  LPR_TABLE_FIXTURE.forEach((entry, i) => {
    const previous = LPR_TABLE_FIXTURE[i - 1]
    const next = LPR_TABLE_FIXTURE[i + 1]
    t.strictSame(lprAsOf(entry.effectiveDate, '1y'), { tenor: '1y', rateBp: entry.oneYearBp, effectiveDate: entry.effectiveDate }, `${entry.effectiveDate} 1y`)
    t.strictSame(lprAsOf(entry.effectiveDate, '5y'), { tenor: '5y', rateBp: entry.fiveYearBp, effectiveDate: entry.effectiveDate }, `${entry.effectiveDate} 5y`)
    if (next !== undefined) {
      const lastDay = addDays(next.effectiveDate, -1)
      t.equal(lprAsOf(lastDay, '1y').effectiveDate, entry.effectiveDate, `${lastDay}: still the ${entry.effectiveDate} publication`)
    }
    if (previous !== undefined) {
      const dayBefore = addDays(entry.effectiveDate, -1)
      t.strictSame(lprAsOf(dayBefore, '5y'), { tenor: '5y', rateBp: previous.fiveYearBp, effectiveDate: previous.effectiveDate }, `${dayBefore} 5y`)
    }
  })
})

t.test('policy dates', async (t) => {
  t.strictSame(lprAsOf(d('2020-01-31'), '1y'), { tenor: '1y', rateBp: 415, effectiveDate: '2019-11-20' }, 'special re-lending start')
  t.equal(lprAsOf(d('2020-02-26'), '1y').rateBp, 405, 'inclusive re-lending start')
  t.equal(lprAsOf(d('2020-04-19'), '1y').rateBp, 405)
  t.equal(lprAsOf(d('2020-04-20'), '1y').rateBp, 385)
  t.equal(lprAsOf(d('2020-06-30'), '1y').rateBp, 385)
  t.equal(lprAsOf(d('2022-08-21'), '5y').rateBp, 445, '20 August 2022 was a Saturday: published Monday the 22nd')
  t.equal(lprAsOf(d('2022-08-22'), '5y').rateBp, 430)
  t.strictSame(lprAsOf(d('2030-01-01'), '1y'), { tenor: '1y', rateBp: 300, effectiveDate: '2025-05-20' }, 'latest entry holds')
})

t.test('before the first publication is an explicit error', async (t) => {
  t.throws(() => lprAsOf(d('2019-08-19'), '1y'), { code: 'lpr-not-available', message: /series starts 2019-08-20/ })
  t.throws(() => lprAsOf(d('2019-08-19'), '5y'), { code: 'lpr-not-available' })
  t.throws(() => lprAsOf(d('2020-01-01'), '1y', []), { code: 'lpr-not-available', message: /empty series/ })
})

t.test('the table is a parameter; order does not matter to the look-up', async (t) => {
  const official: LprTable = [
    { effectiveDate: d('2020-04-20'), oneYearBp: 385, fiveYearBp: 465 },
    { effectiveDate: d('2019-08-20'), oneYearBp: 425, fiveYearBp: 485 },
  ]
  t.strictSame(lprAsOf(d('2020-01-01'), '1y', official), { tenor: '1y', rateBp: 425, effectiveDate: '2019-08-20' })
  t.strictSame(lprAsOf(d('2021-12-20'), '1y', official), { tenor: '1y', rateBp: 385, effectiveDate: '2020-04-20' })
  t.throws(() => validateLprTable(official), { code: 'invalid-table' }, 'but validation insists on order')
})

t.test('tenor by term (POLICY §3: 5-year LPR for terms over 5 years)', async (t) => {
  t.equal(lprTenorForTerm(d('2020-03-15'), d('2021-03-15')), '1y')
  t.equal(lprTenorForTerm(d('2020-03-15'), d('2025-03-15')), '1y', 'exactly 5 years')
  t.equal(lprTenorForTerm(d('2020-03-15'), d('2025-03-16')), '5y', '5 years + 1 day')
})

t.test('parseLprCsv and validateLprTable refuse bad series', async (t) => {
  const header = 'effective_date,lpr_1y_pct,lpr_5y_pct'
  t.strictSame(parseLprCsv(`# note\n${header}\n2019-08-20,4.25,4.85\n`), [{ effectiveDate: '2019-08-20', oneYearBp: 425, fiveYearBp: 485 }])
  const bad: [string, string][] = [
    [header, 'empty series'],
    [`${header}\n2019-08-20,4.255,4.85`, 'fraction of a bp'],
    [`${header}\n2019-08-20,4.25%,4.85`, 'percent sign'],
    [`${header}\n2019-08-32,4.25,4.85`, 'bad date'],
    [`${header}\n2019-09-20,4.20,4.85\n2019-08-20,4.25,4.85`, 'decreasing dates'],
    [`${header}\n2019-08-20,4.25,4.85\n2019-08-20,4.20,4.85`, 'duplicate date'],
    [`${header}\n2019-08-20,0,4.85`, 'zero rate'],
    [`${header}\n2019-08-20,4.25`, 'missing column'],
    ['date,1y,5y\n2019-08-20,4.25,4.85', 'wrong header'],
  ]
  for (const [text, why] of bad) t.throws(() => parseLprCsv(text), { code: 'invalid-table' }, why)
  t.throws(() => validateLprTable([{ effectiveDate: '2019-13-01' as CalendarDate, oneYearBp: 425, fiveYearBp: 485 }]), { code: 'invalid-table' })
  t.throws(() => validateLprTable([{ effectiveDate: d('2019-08-20'), oneYearBp: 4.25, fiveYearBp: 485 }]), { code: 'invalid-table' })
})

// The embedded LPR fixture must equal packages/domain/data/lpr.csv, and that copy the shared
// reference when present (STYLE §11).
const packageCopy = fileURLToPath(new URL('../data/lpr.csv', import.meta.url))
const reference = fileURLToPath(new URL('../../../../shared/reference/lpr.csv', import.meta.url))

t.test('TS table equals packages/domain/data/lpr.csv', async (t) => {
  t.strictSame(parseLprCsv(readFileSync(packageCopy, 'utf8')), LPR_TABLE_FIXTURE)
  t.doesNotThrow(() => validateLprTable(LPR_TABLE_FIXTURE))
})

t.test(
  'package copy equals the shared reference',
  { skip: existsSync(reference) ? false : `shared reference not found at ${reference}; only the package copy was checked` },
  async (t) => {
    t.equal(readFileSync(packageCopy, 'utf8'), readFileSync(reference, 'utf8'))
  },
)
