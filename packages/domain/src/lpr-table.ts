import { parseDate as d } from './dates.js'
import type { LprTable } from './lpr.js'

/**
 * Loan Prime Rate change points, transcribed from `data/lpr.csv` (a copy of the shared reference
 * fixture; `test/lpr.unit.test.ts` fails if the two differ). Rates in basis points per year;
 * each applies from its publication date (the 20th, or the next business day) until the next row.
 * Months without a change are omitted.
 *
 * A test fixture assembled from public reports, not the official series: a deployment loads the
 * official series with `parseLprCsv` and passes it to `lprAsOf`.
 */
export const LPR_TABLE_FIXTURE: LprTable = [
  { effectiveDate: d('2019-08-20'), oneYearBp: 425, fiveYearBp: 485 },
  { effectiveDate: d('2019-09-20'), oneYearBp: 420, fiveYearBp: 485 },
  { effectiveDate: d('2019-11-20'), oneYearBp: 415, fiveYearBp: 480 },
  { effectiveDate: d('2020-02-20'), oneYearBp: 405, fiveYearBp: 475 },
  { effectiveDate: d('2020-04-20'), oneYearBp: 385, fiveYearBp: 465 },
  { effectiveDate: d('2021-12-20'), oneYearBp: 380, fiveYearBp: 465 },
  { effectiveDate: d('2022-01-20'), oneYearBp: 370, fiveYearBp: 460 },
  { effectiveDate: d('2022-05-20'), oneYearBp: 370, fiveYearBp: 445 },
  { effectiveDate: d('2022-08-22'), oneYearBp: 365, fiveYearBp: 430 },
  { effectiveDate: d('2023-06-20'), oneYearBp: 355, fiveYearBp: 420 },
  { effectiveDate: d('2023-08-21'), oneYearBp: 345, fiveYearBp: 420 },
  { effectiveDate: d('2024-02-20'), oneYearBp: 345, fiveYearBp: 395 },
  { effectiveDate: d('2024-07-22'), oneYearBp: 335, fiveYearBp: 385 },
  { effectiveDate: d('2024-10-21'), oneYearBp: 310, fiveYearBp: 360 },
  { effectiveDate: d('2025-05-20'), oneYearBp: 300, fiveYearBp: 350 },
]
