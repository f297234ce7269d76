// Module hooks that make the package named by $HYPERTUNER_HIDDEN_PEER look not installed: it is
// looked up from the file system's root, where no node_modules holds it, so that Node itself
// fails its import as it fails a package that is absent (ERR_MODULE_NOT_FOUND).
export async function resolve(specifier, context, nextResolve) {
  if (specifier === process.env.HYPERTUNER_HIDDEN_PEER)
    return nextResolve(specifier, { ...context, parentURL: 'file:///hidden-peer.mjs' });
  return nextResolve(specifier, context);
}
