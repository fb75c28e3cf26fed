/**
 * The scoring domain in-process, on one core (the goal: "scorecard evaluations per second
 * in-process, goal: over 100,000 per core"). Pure CPU work in the calling thread: test/bench/run.ts
 * runs it before it starts any server or load, so nothing of the benchmark competes for the core.
 *
 * (a) `compileModel(DEFAULT_MODEL).evaluate(features)` over pre-derived feature sets: one per
 *     benchmark firm (test/bench/firms.ts), derived by `deriveFeatures` from ~150 data points each,
 *     so values, missing/stale bins and lineage (the data-point ids every score records) are those
 *     of real derivations, held in a compact copy (see below). Measured over `evaluations` calls in
 *     5 rounds, after a warm-up; two diagnostics show what the figure depends on.
 * (b) `scoreEnterprise` (features + champion + hardship signal), the one domain call the scoring
 *     service makes per score, over the firms' data points as the service reads them
 *     (`recordToDomain`). Its two parts are timed on their own as well, to say where the time goes.
 */
import { performance } from 'node:perf_hooks'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import type { CalendarDate } from '@sme/domain'
import { recordToDomain } from '../../services/scoring/src/convert.js'
import {
  assessHardship,
  compileModel,
  DEFAULT_MODEL,
  deriveFeatures,
  scoreEnterprise,
  type CompiledModel,
  type DataPoint,
  type FeatureSet,
  type HardshipClassification,
} from '../../services/scoring/src/domain/index.js'
import type { DataPointRecord } from '../../services/scoring/src/schemas.js'
import { DEFAULT_CRISIS_START } from '../../services/scoring/src/use-cases/score.js'
import { benchFirmRecords, benchUscc, prng, profileOf, SCORE_AS_OF, type Profile } from './firms.js'

/** The goal for (a), per core. */
export const EVALUATIONS_GOAL_PER_SEC = 100_000

export interface ScorecardSettings {
  /** Measured `compiled.evaluate` calls (a), ≥ 1,000,000 by default. */
  evaluations: number
  /** Distinct pre-derived feature sets evaluated in turn (a), one per firm. */
  featureSets: number
  /** Measured `scoreEnterprise` calls (b). */
  assessments: number
}

interface Rate {
  perSec: number
  /** Microseconds per call. */
  usPerCall: number
  calls: number
  seconds: number
}

export interface ScorecardFigures {
  model: string
  evaluate: Rate & {
    goalPerSec: number
    goalMet: boolean
    featureSets: number
    /** Rates of the 5 rounds, slowest first. */
    rounds: number[]
    warmupCalls: number
    /** Mean data-point ids per feature set (each score collects, sorts and de-duplicates them). */
    avgLineageIds: number
    /** Bins (value, no-data and stale bins of every characteristic) at least one feature set fell in. */
    binsExercised: number
    binsTotal: number
    grades: Record<string, number>
    /** Sum of the measured scores: keeps the work observable (and the optimiser honest). */
    checksum: number
    /**
     * The same evaluations (a) in two other set-ups, to say what the figure depends on: the sets as
     * derived, scattered in memory among the data points (cache misses), and the sets without their
     * lineage ids (collecting, sorting and de-duplicating ~60 ids is most of an evaluation).
     */
    diagnostics: { scatteredAmongDataPoints: Rate; withoutLineageIds: Rate }
  }
  scoreEnterprise: Rate & {
    firms: number
    avgPoints: number
    profiles: Record<string, number>
    hardship: Record<string, number>
    /** The parts, timed alone on the same firms. */
    deriveFeatures: Rate
    assessHardship: Rate
  }
}

const fmt = (n: number) => n.toLocaleString('en-US')
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits

function rate(calls: number, ms: number): Rate {
  const seconds = ms / 1000
  return { perSec: Math.round(calls / seconds), usPerCall: round((1000 * ms) / calls, 3), calls, seconds: round(seconds, 3) }
}

/** A data-point id like storage gives (`dp_<uuid>`), from a seeded PRNG so runs are alike. */
function idMaker(seed: number): () => string {
  const random = prng(seed)
  const hex = (digits: number) => Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join('')
  return () => `dp_${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`
}

/**
 * Firm `n`'s data points in domain form, as the service hands them to the domain. The records and
 * ids go through JSON first, as they reach the service (HTTP body, PostgreSQL rows): that gives flat
 * strings. Strings built here by template literals would be V8 rope strings (ConsString), and the
 * lineage sort in every evaluation compares them about 2.5 times slower than the flat strings the
 * service actually has, which would understate (a) by more than half.
 */
export function benchFirmPoints(n: number): DataPoint[] {
  const nextId = idMaker(0xd47a + n)
  const records = JSON.parse(JSON.stringify(benchFirmRecords(n))) as DataPointRecord[]
  const ids = JSON.parse(JSON.stringify(records.map(() => nextId()))) as string[]
  return records.map((record, i) => recordToDomain(record, ids[i] as string))
}

function tally<T extends string>(values: Iterable<T>): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)))
}

/** Runs `fn(i)` for i in [0, calls) and returns the elapsed milliseconds. */
function timed(calls: number, fn: (i: number) => void): number {
  const start = performance.now()
  for (let i = 0; i < calls; i++) fn(i)
  return performance.now() - start
}

/** Thrown when `stopped()` turned true between two steps (Ctrl-C). */
export class ScorecardInterrupted extends Error {}

/**
 * Runs (a) and (b). Synchronous loops of a second or two, with the event loop let in between them
 * so that a signal is handled: when `stopped()` then says so, throws ScorecardInterrupted.
 */
export async function measureScorecard(settings: ScorecardSettings, progress: (text: string) => void = () => {}, stopped: () => boolean = () => false): Promise<ScorecardFigures> {
  const pause = async () => {
    await yieldToEventLoop()
    if (stopped()) throw new ScorecardInterrupted('interrupted')
  }
  const asOf = SCORE_AS_OF as CalendarDate
  const crisis = { start: DEFAULT_CRISIS_START }
  const compiled: CompiledModel = compileModel(DEFAULT_MODEL)

  // Inputs, built before any clock starts.
  progress(`${settings.featureSets} firms: building data points, deriving features … `)
  const firms = Array.from({ length: settings.featureSets }, (_, n) => ({ uscc: benchUscc(n), profile: profileOf(n), points: benchFirmPoints(n) }))
  const derived: FeatureSet[] = firms.map((f) => deriveFeatures({ uscc: f.uscc, asOf, points: f.points, freshness: compiled.model.freshness }))
  // The measured sets: a compact copy, as a batch of pre-derived feature sets sits in memory on its
  // own. The sets as derived lie scattered among the ~120,000 data points they came from, and
  // rotating over them measures cache misses as much as the scorecard: shown as a diagnostic below.
  const featureSets: FeatureSet[] = structuredClone(derived)
  const withoutLineage: FeatureSet[] = featureSets.map((f) => ({
    ...f,
    values: Object.fromEntries(Object.entries(f.values).map(([id, v]) => [id, { ...v, dataPointIds: [] }])) as unknown as FeatureSet['values'],
  }))

  // What the feature sets cover, from one pass (which is also the first warm-up).
  const bins = new Set<string>()
  const grades: string[] = []
  let lineage = 0
  for (const features of featureSets) {
    const result = compiled.evaluate(features)
    for (const c of result.characteristics) bins.add(`${c.id}/${c.binId}`)
    grades.push(result.grade)
    lineage += result.dataPointIds.length
  }
  const binsTotal = compiled.model.characteristics.reduce((sum, c) => sum + c.bins.length + 2, 0)

  // (a) compiled.evaluate, rotating over the feature sets.
  const n = featureSets.length
  let checksum = 0
  const evaluateOver = (sets: readonly FeatureSet[]) => (i: number) => {
    checksum += compiled.evaluate(sets[i % n] as FeatureSet).score
  }
  const evaluateOne = evaluateOver(featureSets)
  const warmupCalls = Math.min(200_000, Math.max(n, Math.floor(settings.evaluations / 5)))
  await pause()
  progress(`evaluate: warm-up ${fmt(warmupCalls)} … `)
  timed(warmupCalls, evaluateOne)
  await pause()
  checksum = 0
  progress(`measuring ${fmt(settings.evaluations)} … `)
  const roundsCount = 5
  const perRound = Math.ceil(settings.evaluations / roundsCount)
  const roundRates: number[] = []
  let evaluateMs = 0
  let done = 0
  for (let r = 0; r < roundsCount && done < settings.evaluations; r++) {
    const calls = Math.min(perRound, settings.evaluations - done)
    const offset = done
    const ms = timed(calls, (i) => evaluateOne(offset + i))
    evaluateMs += ms
    done += calls
    roundRates.push(Math.round(calls / (ms / 1000)))
    await pause()
  }
  const evaluate = rate(done, evaluateMs)
  const evaluatedChecksum = checksum
  // Diagnostics, after the measurement so that they cannot disturb it.
  const diagnosticCalls = Math.max(n, Math.floor(settings.evaluations / 10))
  const diagnostic = (sets: readonly FeatureSet[]) => {
    timed(Math.max(n, diagnosticCalls / 4), evaluateOver(sets)) // warm-up
    return rate(diagnosticCalls, timed(diagnosticCalls, evaluateOver(sets)))
  }
  progress('diagnostics … ')
  const scattered = diagnostic(derived)
  await pause()
  const noLineage = diagnostic(withoutLineage)
  await pause()

  // (b) scoreEnterprise over the firms' points, and its parts alone.
  const scored = firms.slice(0, Math.min(firms.length, 240))
  const m = scored.length
  const assess = (i: number) => {
    const f = scored[i % m]!
    checksum += scoreEnterprise({ champion: compiled }, { uscc: f.uscc, asOf, points: f.points, crisis }).champion.score
  }
  const hardship = scored.map((f) => assessHardship({ points: f.points, asOf, crisisStart: crisis.start }).classification as HardshipClassification)
  progress(`scoreEnterprise: warm-up … `)
  timed(Math.max(m, Math.floor(settings.assessments / 10)), assess)
  await pause()
  progress(`measuring ${fmt(settings.assessments)} … `)
  const assessment = rate(settings.assessments, timed(settings.assessments, assess))
  await pause()
  const partCalls = Math.max(m, Math.floor(settings.assessments / 4))
  const derive = rate(partCalls, timed(partCalls, (i) => {
    const f = scored[i % m]!
    checksum += deriveFeatures({ uscc: f.uscc, asOf, points: f.points, freshness: compiled.model.freshness }).excluded.length
  }))
  const hardshipRate = rate(partCalls, timed(partCalls, (i) => {
    const f = scored[i % m]!
    checksum += assessHardship({ points: f.points, asOf, crisisStart: crisis.start }).dimensions.length
  }))
  if (checksum === 0) throw new Error('scorecard benchmark: nothing was computed')

  return {
    model: `${compiled.model.id}@${compiled.model.version} (${compiled.model.characteristics.length} characteristics)`,
    evaluate: {
      ...evaluate,
      goalPerSec: EVALUATIONS_GOAL_PER_SEC,
      goalMet: evaluate.perSec > EVALUATIONS_GOAL_PER_SEC,
      featureSets: n,
      rounds: roundRates.sort((a, b) => a - b),
      warmupCalls,
      avgLineageIds: round(lineage / n, 1),
      binsExercised: bins.size,
      binsTotal,
      grades: tally(grades),
      checksum: evaluatedChecksum,
      diagnostics: { scatteredAmongDataPoints: scattered, withoutLineageIds: noLineage },
    },
    scoreEnterprise: {
      ...assessment,
      firms: m,
      avgPoints: round(scored.reduce((s, f) => s + f.points.length, 0) / m, 1),
      profiles: tally(scored.map((f) => f.profile as Profile)),
      hardship: tally(hardship),
      deriveFeatures: derive,
      assessHardship: hardshipRate,
    },
  }
}
