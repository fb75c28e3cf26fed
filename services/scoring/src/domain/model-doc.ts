import { DIMENSIONS } from './data-points.js'
import { FEATURES } from './features.js'
import { isRangeBin, maxPointsOf, type Bin, type ScorecardModel } from './model.js'
import { probabilityOfDefault, scalingFactor, scalingOffset } from './scaling.js'

/** Markers delimiting the generated part of MODEL.md; text outside them is written by hand. */
export const MODEL_DOC_BEGIN = '<!-- BEGIN GENERATED: renderModelMarkdown(DEFAULT_MODEL) -->'
export const MODEL_DOC_END = '<!-- END GENERATED -->'

/** A PD in ppm as a percentage with 2 decimals, by integer arithmetic: 50000 → "5.00%". */
function percent(ppm: number): string {
  const hundredths = Math.floor((ppm + 50) / 100) // ppm → hundredths of a percent, half up
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}%`
}

function condition(bin: Bin, unit: string | undefined): string {
  if (!isRangeBin(bin)) return bin.categories.map((c) => `\`${c}\``).join(', ')
  const { min, max } = bin.range
  const suffix = unit === undefined ? '' : ` ${unit}`
  if (min === undefined && max === undefined) return 'any'
  if (min === undefined) return `< ${max}${suffix}`
  if (max === undefined) return `≥ ${min}${suffix}`
  return `${min} ≤ v < ${max}${suffix}`
}

/**
 * Renders a model as Markdown: scaling, grades with their PDs, every characteristic with its bins,
 * points, reason codes and rationale, freshness windows and the reason-code catalogue. Pure and
 * deterministic, so a test can check that MODEL.md is up to date.
 */
export function renderModelMarkdown(model: ScorecardModel): string {
  const lines: string[] = []
  const push = (...more: string[]) => lines.push(...more)
  const { scaling } = model
  const mins = model.characteristics.map((c) => Math.min(...c.bins.map((b) => b.points), c.missing['no-data'].points, c.missing.stale.points))
  const maxes = model.characteristics.map(maxPointsOf)
  const minScore = mins.reduce((a, b) => a + b, 0)
  const maxScore = maxes.reduce((a, b) => a + b, 0)
  const noData = model.characteristics.reduce((total, c) => total + c.missing['no-data'].points, 0)

  push(`### \`${model.id}\` ${model.version}`, '')
  push(`| | |`, `|---|---|`)
  push(`| Segment | \`${model.segment}\` |`, `| Role | ${model.role} |`)
  push(`| Effective | ${model.effectiveFrom} – ${model.effectiveTo ?? 'open'} |`, `| Feature set | \`${model.featureSetVersion}\` |`)
  push(`| Reasons reported | ${model.reasonCount} |`, '')
  push(model.description, '')

  push('#### Scaling', '')
  push(
    `${scaling.basePoints} points at odds ${scaling.baseOdds}:1 (good:bad, PD ${percent(probabilityOfDefault(scaling, scaling.basePoints).pdPpm)}), ` +
      `${scaling.pdo} points to double the odds: factor = ${scaling.pdo} / ln 2 = ${scalingFactor(scaling).toFixed(4)}, ` +
      `offset = ${scaling.basePoints} − factor × ln ${scaling.baseOdds} = ${scalingOffset(scaling).toFixed(4)}. ` +
      `Score range ${minScore} … ${maxScore}; with no data at all the score is ${noData} (PD ${percent(probabilityOfDefault(scaling, noData).pdPpm)}).`,
    '',
  )

  push('#### Grades', '')
  push("| Grade | Score | PD at the band's highest score | PD at the band's lowest score |", '|---|---|---|---|')
  model.grades.forEach((band, index) => {
    const previous = model.grades[index - 1]
    const top = previous === undefined || previous.minScore === null ? null : previous.minScore - 1
    const range = band.minScore === null ? `< ${(top ?? minScore) + 1}` : top === null ? `≥ ${band.minScore}` : `${band.minScore} – ${top}`
    // The best band tops out at the maximum score, the worst bottoms out at the minimum.
    const pdTop = percent(probabilityOfDefault(scaling, top ?? maxScore).pdPpm)
    const pdBottom = percent(probabilityOfDefault(scaling, band.minScore ?? minScore).pdPpm)
    push(`| ${band.grade} | ${range} | ${pdTop} | ${pdBottom} |`)
  })
  push('')

  push('#### Characteristics', '')
  push('| Characteristic | Dimension | Feature | Max points | Spread (max − min) |', '|---|---|---|---|---|')
  model.characteristics.forEach((c, i) => {
    push(`| ${c.id} ${c.name.en} (${c.name.zh}) | ${FEATURES[c.feature].dimension} | \`${c.feature}\` | ${maxes[i]} | ${(maxes[i] as number) - (mins[i] as number)} |`)
  })
  push('')
  for (const c of model.characteristics) {
    const spec = FEATURES[c.feature]
    push(`##### ${c.id}: ${c.name.en} (${c.name.zh})`, '')
    push(`Feature \`${c.feature}\` (${spec.dimension}): ${spec.description}`, '')
    push(`Why: ${c.rationale}`, '')
    push('| Bin | Condition | Points | Reason code | Reason |', '|---|---|---|---|---|')
    const row = (id: string, cond: string, points: number, code: string | undefined) =>
      push(`| ${id} | ${cond} | ${points} | ${code ?? ''} | ${code === undefined ? '' : (model.reasonCodes[code]?.en ?? '')} |`)
    for (const bin of c.bins) row(bin.id, condition(bin, 'unit' in spec ? spec.unit : undefined), bin.points, bin.reasonCode)
    row(c.missing['no-data'].id, '*no data*', c.missing['no-data'].points, c.missing['no-data'].reasonCode)
    row(c.missing.stale.id, '*stale*', c.missing.stale.points, c.missing.stale.reasonCode)
    push('')
  }

  push('#### Freshness windows', '')
  push('| Dimension | Max age (days) |', '|---|---|')
  for (const dimension of DIMENSIONS) push(`| ${dimension} | ${model.freshness.maxAgeDays[dimension]} |`)
  for (const [kind, days] of Object.entries(model.freshness.maxAgeDaysByKind ?? {})) push(`| ${kind} (kind override) | ${days} |`)
  push('')

  push('#### Reason codes', '')
  push('| Code | 中文 | English |', '|---|---|---|')
  for (const code of Object.keys(model.reasonCodes).sort()) {
    const text = model.reasonCodes[code]
    push(`| ${code} | ${text?.zh ?? ''} | ${text?.en ?? ''} |`)
  }
  return lines.join('\n') + '\n'
}

/**
 * `document` with the text between {@link MODEL_DOC_BEGIN} and {@link MODEL_DOC_END} replaced by
 * {@link renderModelMarkdown}; what `scripts/generate-model-doc.ts` writes and the test compares.
 * @throws Error when the markers are missing.
 */
export function updateModelDoc(document: string, model: ScorecardModel): string {
  const begin = document.indexOf(MODEL_DOC_BEGIN)
  const end = document.indexOf(MODEL_DOC_END)
  if (begin < 0 || end < begin) throw new Error('MODEL.md lacks the generated-section markers')
  return `${document.slice(0, begin + MODEL_DOC_BEGIN.length)}\n\n${renderModelMarkdown(model)}\n${document.slice(end)}`
}
