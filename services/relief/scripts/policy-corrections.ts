/**
 * `npm run policy-corrections -- [count] [seed]`: what the corrections of the relief policy records
 * change, on a generated book of applications (default 5,000, fixed seed) decided under the records
 * as first shipped and under the records as shipped now: outcomes before and after, each change
 * attributed to the version that makes it with its reason, and a check that every decision replays
 * identically under the versions it recorded. Markdown on stdout.
 */
import { pathToFileURL } from 'node:url'
import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import {
  DEFAULT_POLICY_VERSIONS,
  compareOutcomes,
  correctionEffects,
  decide,
  policyAsOf,
  type Decision,
  type DecisionContext,
  type PolicyVersion,
  type ReliefApplication,
} from '../src/domain/index.js'
import { applicationCase } from '../test/domain/arbitraries.js'
import { FIRST_RECORDS } from '../test/domain/fixtures.js'

export type Case = { application: ReliefApplication; context: DecisionContext }

/** `count` generated applications from `seed`, decided under the first records and under the corrected ones. */
export function decideBook(count: number, seed: number): { book: Case[]; before: Decision[]; after: Decision[] } {
  const book: Case[] = fc.sample(applicationCase, { numRuns: count, seed })
  return { book, before: book.map((c) => decideUnder(FIRST_RECORDS, c)), after: book.map((c) => decideUnder(DEFAULT_POLICY_VERSIONS, c)) }
}

export const decideUnder = (versions: readonly PolicyVersion[], c: Case): Decision => decide(c.application, policyAsOf(versions, c.context.applicationDate), c.context)

/** How many of `decisions` (of `book`) are decided again identically under the versions each recorded, looked up in `versions`. */
export function replaysIdentically(versions: readonly PolicyVersion[], book: readonly Case[], decisions: readonly Decision[]): number {
  return decisions.filter((decision, i) => {
    const recorded = decision.policyVersions.map((ref) => versions.find((v) => v.kind === ref.kind && v.id === ref.id && v.version === ref.version)!)
    return isDeepStrictEqual(decideUnder(recorded, book[i]!), decision)
  }).length
}

/** The report, as Markdown, for `count` generated applications from `seed`. */
export function correctionsReport(count: number, seed: number): string {
  const { book, before, after } = decideBook(count, seed)
  const comparison = compareOutcomes(before, after)
  const effects = correctionEffects(comparison, before, after, DEFAULT_POLICY_VERSIONS)

  const out: string[] = []
  out.push(`${book.length} generated applications (seed ${seed}), decided under the first records and under the corrected ones.`)
  out.push(`Replayed under the versions each decision recorded: ${replaysIdentically(FIRST_RECORDS, book, before)} of ${before.length} first-record decisions and ${replaysIdentically(DEFAULT_POLICY_VERSIONS, book, after)} of ${after.length} corrected ones identical.`)
  out.push('')
  out.push('| Outcome | First records | Corrected |')
  out.push('|---|---:|---:|')
  for (const o of ['APPROVED', 'REFERRED', 'DECLINED'] as const) out.push(`| ${o} | ${comparison.before[o]} | ${comparison.after[o]} |`)
  out.push('')
  out.push(`${comparison.changes.length} decisions differ (outcome, programme, mandatory grant or a rule result); ${comparison.outcomeChanged} change outcome:`)
  out.push('')
  out.push('| Version | Decisions | Outcome changes | Why |')
  out.push('|---|---:|---|---|')
  for (const e of effects) out.push(`| ${e.version} | ${e.decisions} | ${e.transitions.map((t) => `${t.from}→${t.to} ${t.count}`).join(', ') || '—'} | ${e.why.replaceAll('|', '\\|')} |`)
  return `${out.join('\n')}\n`
}

/** What the README shows. */
export const README_BOOK = { count: 5_000, seed: 20261206 } as const

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [count = String(README_BOOK.count), seed = String(README_BOOK.seed)] = process.argv.slice(2)
  process.stdout.write(correctionsReport(Number(count), Number(seed)))
}
