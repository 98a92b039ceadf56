// Started by NodeTests with `node --import`: registers serve-kit-hooks.mjs, so the pages' .js
// files load as the ES modules they are, and a page module's `import '../scan-kit.js'` finds the
// web kit's file in the source tree as the server serves it.
import { register } from 'node:module';

register('./serve-kit-hooks.mjs', import.meta.url);
