/** The errors of building a network (./build.ts). */

/** An error about a part of the plan; carries the node or edge id for the canvas. */
export class BuildError extends Error {
  constructor(
    message: string,
    readonly nodeId: string,
    readonly field?: string,
    readonly code: 'build-failed' | 'too-big' = 'build-failed',
  ) {
    super(message);
  }
}

/** Thrown by a build whose `cancelled` flag was set (a `stop` while building). */
export class BuildCancelled extends Error {
  constructor() {
    super('The build was cancelled.');
  }
}
