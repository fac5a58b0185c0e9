// Filling the route table's path templates: every parameter URL-encoded, and never `.` or `..`.

/** Fills one path template with its parameters; see {@link pathFiller}. */
export type PathFiller = (params?: Readonly<Record<string, string>>) => string;

/**
 * Splits a template once and gives back the function that fills it: what a client keeps per route,
 * so that a call does not parse its route again. Every parameter is URL-encoded.
 */
export function pathFiller(template: string): PathFiller {
  // Literal text at even indexes, parameter names at odd ones.
  const parts = template.split(/\{(\w+)\}/);
  return (params = {}) => {
    let path = parts[0] as string;
    for (let index = 1; index < parts.length; index += 2) {
      const name = parts[index] as string;
      const value = params[name];
      if (value === undefined) throw new TypeError(`missing path parameter "${name}" for ${template}`);
      // URL parsers resolve "." and ".." segments (encoded or not), so they can never be sent safely.
      if (value === '' || value === '.' || value === '..') {
        throw new TypeError(`path parameter "${name}" of ${template} may not be empty, "." or ".."`);
      }
      path += encodeURIComponent(value) + (parts[index + 1] as string);
    }
    return path;
  };
}

/** Fills a path template; every parameter is URL-encoded, so an id can never leave its segment. */
export function fillPath(template: string, params: Readonly<Record<string, string>> = {}): string {
  return pathFiller(template)(params);
}
