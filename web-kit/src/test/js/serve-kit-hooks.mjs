// Node module hooks for the pages' scripts in the source tree.
//  - resolve: the edge (resources/web/) and the hub (resources/hub-web/) serve the web kit's files
//    (resources/web-kit/) at their root, beside their own. A page module that imports such a file
//    finds no file beside it in the source tree; this resolves it to the kit's, and nothing else:
//    any other missing file stays an error.
//  - load: every .js under src/main/resources is a browser ES module. Node would read a .js with no
//    package.json saying "type": "module" as CommonJS (Node 18 does; later ones guess), and a
//    package.json there would ship in the jar for nothing.

const KIT = new URL('../../main/resources/web-kit/', import.meta.url);
const SERVED_AT_ROOT = /\/src\/main\/resources\/(web|hub-web)\/[^/]+$/;
const PAGE_SCRIPT = /\/src\/main\/resources\/.+\.js$/;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error.code !== 'ERR_MODULE_NOT_FOUND' || !context.parentURL || !specifier.startsWith('.')) throw error;
    const wanted = new URL(specifier, context.parentURL);
    if (wanted.protocol !== 'file:' || !SERVED_AT_ROOT.test(wanted.pathname)) throw error;
    return nextResolve(new URL(wanted.pathname.split('/').pop(), KIT).href, context);
  }
}

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && PAGE_SCRIPT.test(new URL(url).pathname)) {
    return nextLoad(url, { ...context, format: 'module' });
  }
  return nextLoad(url, context);
}
