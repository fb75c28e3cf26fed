// Regenerates the tables of services/scoring/MODEL.md from DEFAULT_MODEL.
// Run: pnpm exec tsx services/scoring/scripts/generate-model-doc.ts (a unit test fails when stale).
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { DEFAULT_MODEL, updateModelDoc } from '../src/domain/index.js'

const path = fileURLToPath(new URL('../MODEL.md', import.meta.url))
const current = readFileSync(path, 'utf8')
const next = updateModelDoc(current, DEFAULT_MODEL)
if (next === current) console.log('MODEL.md is up to date')
else {
  writeFileSync(path, next)
  console.log('MODEL.md regenerated')
}
