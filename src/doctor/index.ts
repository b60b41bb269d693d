export { renderReport, shapeReport } from "./render.js";
export { type DoctorOptions, runDoctor } from "./run.js";
export type { ProfileKeys } from "./sources.js";
export type { DoctorReport } from "./types.js";
