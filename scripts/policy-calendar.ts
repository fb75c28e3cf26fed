/**
 * `npm run policy-calendar -- [from] [to] [--csv]`: which relief policy versions are in force,
 * period by period, under the records the platform ships (default 2020-01-01…2025-12-31), as the
 * README's Markdown table or as CSV. A running service answers the same for its active versions at
 * `GET /policies/calendar`.
 */
import { parseDate } from '@sme/domain'
import { DEFAULT_POLICY_VERSIONS, policyCalendar, policyCalendarCsv, policyCalendarMarkdown } from '../services/relief/src/domain/index.js'

const args = process.argv.slice(2)
const [from = '2020-01-01', to = '2025-12-31'] = args.filter((a) => !a.startsWith('--'))
const periods = policyCalendar(DEFAULT_POLICY_VERSIONS, parseDate(from), parseDate(to))
process.stdout.write(args.includes('--csv') ? policyCalendarCsv(periods) : policyCalendarMarkdown(periods))
