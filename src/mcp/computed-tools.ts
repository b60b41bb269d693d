import type { ComputedTool } from "./define-tool.js";
import { REPORTING_TOOLS } from "./reporting/tools/index.js";
import { checkSetup } from "./setup-tool.js";

/** Every tool defined with defineTool, for what covers them all (the precomputed schemas). */
export const COMPUTED_TOOLS: readonly ComputedTool<never>[] = [...REPORTING_TOOLS, checkSetup];
