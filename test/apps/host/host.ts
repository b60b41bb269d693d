// A minimal MCP Apps host, run in the browser by test/apps/browser.ts: it loads the view in a sandboxed iframe
// (scripts only, no same-origin: an opaque origin, as hosts do), talks to it with ext-apps' AppBridge over
// postMessage, and answers its tools/call and resources/read through functions the test exposes, which call
// the real server over the SDK client. Bundled for the browser at test time.
import { AppBridge, PostMessageTransport } from "@modelcontextprotocol/ext-apps/app-bridge";
import type {
  CallToolRequest,
  CallToolResult,
  ReadResourceRequest,
  ReadResourceResult,
} from "@modelcontextprotocol/sdk/types.js";

interface HostWindow {
  hostCallTool(params: CallToolRequest["params"]): Promise<CallToolResult>;
  hostReadResource(params: ReadResourceRequest["params"]): Promise<ReadResourceResult>;
  hostToolResult(): Promise<CallToolResult>;
  hostLog(line: string): Promise<void>;
  hostSetTheme(theme: "light" | "dark"): Promise<void>;
  hostAppSize?: { width?: number; height?: number };
}

const host = window as unknown as Window & HostWindow;
const params = new URLSearchParams(location.search);
const theme = params.get("theme") === "dark" ? "dark" : "light";
const width = Number(params.get("width") ?? "380");
const iframe = document.getElementById("app") as HTMLIFrameElement;
iframe.style.width = `${width}px`;
document.documentElement.style.colorScheme = theme;

const bridge = new AppBridge(
  null,
  { name: "digicert-mcp-test-host", version: "1.0.0" },
  { serverTools: {}, serverResources: {}, logging: {} },
  {
    hostContext: {
      theme,
      displayMode: "inline",
      availableDisplayModes: ["inline"],
      containerDimensions: { maxWidth: width },
      platform: "web",
      locale: "en-US",
    },
  },
);
bridge.oncalltool = (p) => host.hostCallTool(p);
bridge.onreadresource = (p) => host.hostReadResource(p);
bridge.onloggingmessage = (p) => void host.hostLog(JSON.stringify(p));
bridge.onsizechange = ({ height }) => {
  host.hostAppSize = { width, height };
  if (height) iframe.style.height = `${Math.min(Math.max(height, 200), 2400)}px`;
};
bridge.oninitialized = async () => {
  await bridge.sendToolInput({ arguments: {} });
  await bridge.sendToolResult(await host.hostToolResult());
};
host.hostSetTheme = async (next) => {
  document.documentElement.style.colorScheme = next;
  await bridge.sendHostContextChange({ theme: next });
};

await bridge.connect(
  new PostMessageTransport(iframe.contentWindow ?? undefined, iframe.contentWindow as Window),
);
iframe.src = "/app.html";
