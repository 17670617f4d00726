// `cem analyze` (run by `npm run build`): the Custom Elements Manifest, from the sources' JSDoc,
// describing the shipped files (dist/*.js) and only the public API.
import { posix } from 'node:path';
const shipped = (path) => path?.replace(/^\/?src\//, 'dist/').replace(/\.ts$/, '.js');

/** A re-export's module, which the analyzer leaves relative (`./events.js`), from the package root. */
const fromRoot = (path, exporter) => (path.startsWith('.') ? posix.join(posix.dirname(exporter), path) : shipped(path));

/** Points every module path at the file that ships, and keeps private members out. */
function publicShippedApi() {
  return {
    name: 'wink-widget-public-shipped-api',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        module.path = shipped(module.path);
        for (const declaration of module.declarations ?? []) {
          if (declaration.members) {
            declaration.members = declaration.members.filter(
              (member) => member.privacy !== 'private' && !member.name.startsWith('#'),
            );
          }
          // An attribute's default is its property's (the analyzer leaves constant names there).
          for (const attribute of declaration.attributes ?? []) {
            const field = declaration.members?.find((member) => member.name === attribute.fieldName);
            if (field?.default !== undefined) attribute.default = field.default;
          }
        }
        for (const entry of module.exports ?? []) {
          if (entry.declaration?.module) entry.declaration.module = fromRoot(entry.declaration.module, module.path);
        }
      }
      // A re-export must name something its module declares or exports. Type-only re-exports
      // (`export type …`) name nothing that exists in JavaScript, so they are left out.
      const byPath = new Map(customElementsManifest.modules.map((module) => [module.path, module]));
      const provides = (path, name) => {
        const target = byPath.get(path);
        return (
          Boolean(target) &&
          (name === '*' ||
            [...(target.declarations ?? []), ...(target.exports ?? [])].some((item) => item.name === name))
        );
      };
      for (const module of customElementsManifest.modules) {
        module.exports = module.exports?.filter(
          ({ declaration }) => !declaration?.module || provides(declaration.module, declaration.name),
        );
      }
    },
  };
}

export default {
  globs: ['src/**/*.ts'],
  exclude: [
    'src/bridge/bridge-page.ts',
    'src/bridge/hosted-bridge-page.ts',
    'src/bridge/bridge-runtime.ts',
    'src/simulator/**',
    'src/frameworks/**',
    'src/webhooks/**',
    'src/webhook-types/**',
    'src/page-events.ts',
    'src/cli/**',
    'src/api/**',
  ],
  litelement: true,
  packagejson: false,
  plugins: [publicShippedApi()],
};
