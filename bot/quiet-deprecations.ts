/**
 * restify 11 pulls in spdy → http-deceiver, which touches process.binding('http_parser') and makes Node print
 * DEP0111 twice at every start. It is harmless here (we serve plain HTTP/1.1); drop that one warning only.
 * Imported before restify.
 */
const emitWarning = process.emitWarning.bind(process) as unknown as (w: string | Error, ...r: unknown[]) => void;
function filtered(warning: string | Error, ...rest: unknown[]): void {
  const code = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { code?: string }).code : rest[1];
  if (code === 'DEP0111') return;
  emitWarning(warning, ...rest);
}
process.emitWarning = filtered;
