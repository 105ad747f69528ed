// A free TCP port on 127.0.0.1, for the server processes the benchmark starts.
import { createServer } from "node:net";

/** Asks the OS for a free port, then releases it for the child to bind. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
