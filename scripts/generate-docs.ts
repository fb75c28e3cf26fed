/** `npm run docs`: regenerates openapi/*.json from the code (commit the result). */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { generateDocuments } from './documents.js'
import { SERVICES } from './services.js'

for (const [path, content] of Object.entries(await generateDocuments(SERVICES))) {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, content)
  console.log(`wrote ${path}`)
}
